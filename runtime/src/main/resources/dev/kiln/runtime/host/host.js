// The host API that Java (NodeHost) calls. The bridge is a Java object:
//   bridge.resource(name) → host source; bridge.log(level, name, messageJson, time);
//   bridge.stderr(text); bridge.stepDone(metaJson, stateText | null).
const { createLogger } = require('./logger.js');
const { createConditions } = require('./conditions.js');
const { createStepRunner } = require('./step.js');
const { parseRegex, preloadAdaptor, recordAdaptorIndex } = require('./linker.js');
const { lockDown } = require('./lockdown.js');
const { evaluatedDependencies, evaluateDependencies } = require('./resolution.js');

/**
 * Stray writes to Node's stdout/stderr must never reach the frame stream: they go to stderr,
 * through Java. Node's own `process.stdout`/`process.stderr` are never created: creating one
 * for a pipe makes libuv switch that file descriptor to non-blocking mode, and Java's writes of
 * large frames to fd 1 then fail half-way with EAGAIN as soon as the pipe is full.
 */
function redirectStdio(bridge) {
  const { Writable } = require('node:stream');
  const toStderr = (fd) => Object.assign(new Writable({
    decodeStrings: false,
    write(chunk, encoding, callback) {
      bridge.stderr(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      callback();
    },
  }), { fd, isTTY: false });
  for (const [name, fd] of [['stdout', 1], ['stderr', 2]]) {
    const stream = toStderr(fd);
    Object.defineProperty(process, name, { configurable: true, enumerable: true, get: () => stream });
  }
}

function createHost(bridge) {
  redirectStdio(bridge);
  lockDown();
  const emit = (level, name, message, time) => bridge.log(level, name, message, time);
  let run;
  let loggers;
  let conditions;
  let steps;
  let finishStep = null; // reports the running step, once

  // An exception thrown from a timer or a floating promise rejection in job or adaptor code would
  // make Node exit the whole process without a final frame; it ends the run instead (as the
  // reference's ExecutionError, severity crash).
  const uncaught = (kind) => (e) => {
    const message = e?.message ?? String(e);
    if (loggers) loggers.rt.error(`${kind} in job or adaptor code: ${e?.stack ?? message}`);
    if (finishStep) {
      finishStep({ outcome: 'fatal', fatal: { type: 'ExecutionError', message: `${kind}: ${message}`, severity: 'crash' } });
    } else {
      bridge.stderr(`${kind} outside a step: ${e?.stack ?? message}\n`);
    }
  };
  process.on('uncaughtException', uncaught('Uncaught exception'));
  process.on('unhandledRejection', uncaught('Unhandled promise rejection'));

  return {
    /**
     * The environment and working directory as the process had them at start, once this
     * runtime's run is over: the environment is the process' own (setenv), so a variable an
     * adaptor set would otherwise still be there in the next runtime of this process.
     */
    restoreProcess(environmentJson, directory) {
      const environment = JSON.parse(environmentJson);
      for (const name of Object.keys(process.env)) {
        if (!Object.hasOwn(environment, name)) delete process.env[name];
      }
      for (const [name, value] of Object.entries(environment)) {
        if (process.env[name] !== value) process.env[name] = value;
      }
      if (process.cwd() !== directory) process.chdir(directory);
    },

    /** Imports an adaptor folder ahead of the run; reports through bridge.stepDone('{}' | {error}). */
    preload(root) {
      preloadAdaptor(root).then(
        () => bridge.stepDone('{}', null),
        (e) => bridge.stepDone(JSON.stringify({ error: String(e?.message ?? e) }), null),
      );
    },

    /** The JSON array of the lazy dependencies this runtime evaluated (resolution.js). */
    evaluatedDependencies() {
      return JSON.stringify(evaluatedDependencies());
    },

    /** Evaluates those of the files (a JSON array) that are lazy dependencies of what was preloaded. */
    evaluateDependencies(filesJson) {
      evaluateDependencies(JSON.parse(filesJson));
    },

    /** Run-wide options (see RunOptions.toHostJson); creates the loggers and the ADA console. */
    init(optionsJson) {
      const o = JSON.parse(optionsJson);
      run = {
        credentials: o.credentials ?? {},
        workflowCredentials: o.workflowCredentials ?? {},
        globalsSource: typeof o.globals === 'string' ? o.globals : undefined,
        timeoutMs: o.timeoutMs ?? 0,
        statePropsToRemove: o.statePropsToRemove ?? ['configuration'],
        stateLimitMb: o.stateLimitMb ?? 500,
        immutableState: Boolean(o.immutableState),
        whitelist: (o.whitelist ?? ['/^@openfn/']).map(parseRegex),
        repoDir: o.repoDir,
      };
      const sanitize = o.sanitize ?? 'none';
      loggers = {
        rt: createLogger('R/T', { level: o.runtimeLogLevel ?? 'debug', sanitize, emit }),
        job: createLogger('JOB', { level: o.jobLogLevel ?? 'debug', sanitize, emit }),
        ada: createLogger('ADA', { level: 'debug', sanitize, emit }),
      };
      // log/info/warn/error/debug… become ADA records; the rest of Node's console (table, time,
      // dir, group…) keeps working for adaptor dependencies and writes to stderr
      globalThis.console = Object.assign(Object.create(globalThis.console), loggers.ada);
      conditions = createConditions(loggers.ada);
      steps = createStepRunner(run, { rt: loggers.rt, job: loggers.job, conditions });
    },

    /** Compiles [{from, to, condition}]; returns a JSON array of error messages. */
    compileConditions(edgesJson) {
      return JSON.stringify(conditions.compile(JSON.parse(edgesJson)));
    },

    /** Starts a step; reports through bridge.stepDone(metaJson, stateText). */
    runStep(stepJson, inputText) {
      const step = JSON.parse(stepJson);
      const finish = (meta, text) => {
        if (finishStep !== finish) return;
        finishStep = null;
        bridge.stepDone(JSON.stringify(meta), text ?? null);
      };
      finishStep = finish;
      steps.run(step, inputText ?? undefined).then(
        ([meta, text]) => finish(meta, text),
        (e) => finish({ outcome: 'fatal', fatal: { type: 'RuntimeCrash', message: String(e?.message ?? e), severity: 'crash' } }),
      );
    },

    /**
     * Loads an adaptor folder, recording its resolution index (the indexing process only); reports
     * through bridge.stepDone({index} | {error}).
     */
    recordAdaptorIndex(root) {
      recordAdaptorIndex(root).then(
        (index) => bridge.stepDone(JSON.stringify({ index }), null),
        (e) => bridge.stepDone(JSON.stringify({ error: String(e?.stack ?? e) }), null),
      );
    },
  };
}

module.exports = { createHost };
