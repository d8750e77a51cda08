// One step of the plan (spec §3.5): assemble the state, run the expression, clean up the output,
// report errors and work out which edges to follow. The plan loop itself runs in Java.
const vm = require('node:vm');
const { assembleState, finalStateText, isObject } = require('./state.js');
const { executeExpression, loadModule } = require('./expression.js');
const { buildContext } = require('./context.js');
const { createLinker } = require('./linker.js');
const { createSourceMap, mapErrorPositions } = require('./sourcemap.js');
const { humanDuration } = require('./logger.js');
const { RuntimeErrorBase, classify } = require('./errors.js');

class FatalError extends Error {
  constructor(type, message, severity) {
    super(message);
    this.type = type;
    this.severity = severity;
  }
}

/** Only the run's input can be malformed (every later state is written by the host itself). */
function parseState(text, step) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FatalError('ValidationError', `The input state of step ${step.id} is not valid JSON: ${e.message}`, 'crash');
  }
}

function createStepRunner(run, { rt, job, conditions }) {
  async function loadGlobals() {
    if (!run.globalsSource) return {};
    try {
      const link = createLinker({ whitelist: run.whitelist, log: rt });
      const namespace = await loadModule(run.globalsSource, vm.createContext({}), link);
      return { ...namespace };
    } catch (e) {
      e.message = `[globals] ${e.message}`;
      throw e;
    }
  }

  function configurationFor(step) {
    if (typeof step.configuration !== 'string') return step.configuration ?? {};
    const configuration = run.credentials[step.configuration];
    if (configuration === undefined) {
      throw new FatalError('CredentialLoadError', `Failed to load credential ${step.configuration}: it was not provided to the run`, 'exception');
    }
    return configuration;
  }

  function calculateNext(step, stateText, stateObject) {
    const next = [];
    let parsed = stateObject;
    for (const edge of step.edges) {
      let follow = edge.value;
      if (edge.value === 'condition') {
        if (parsed === undefined && stateText !== undefined) parsed = parseState(stateText, step);
        follow = conditions.evaluate(step.id, edge.to, parsed);
        rt.debug(follow
          ? `Edge condition returned true; ${edge.to} will be executed next`
          : `Edge condition returned false; ${edge.to} will NOT be executed`);
      }
      if (follow === true) next.push(edge.to);
    }
    return next;
  }

  function memory() {
    const { heapUsed, rss } = process.memoryUsage();
    return { job: heapUsed, system: rss };
  }

  function logError(step, error) {
    const name = step.name || step.id;
    if (error.pos?.src !== undefined) {
      const caret = ' '.repeat(Math.max(0, error.pos.column - 1 + `${error.pos.line}: `.length));
      rt.error(`Error occurred at: ${error.step ?? name}\n${error.pos.line}: ${error.pos.src}\n${caret}^`);
    }
    if (error.operationName !== undefined) {
      rt.error(`Error reported by "${error.operationName}()" operation line ${error.line}:`);
    }
    if (error.pos && error.stack) rt.error(error.stack);
    else if (error.pos) rt.error(`${error.message} (${error.pos.line}:${error.pos.column})`);
    else rt.error(error);
    if (error.fix) rt.error(`FIX: ${error.fix}`);
    if (error.details !== undefined && error.name !== 'AdaptorError') rt.error(error.details);
  }

  /** Executes a job step; resolves with [meta, stateText]. */
  async function runJob(step, inputText) {
    const start = Date.now();
    const name = step.name || step.id;
    const input = inputText === undefined ? {} : parseState(inputText, step);
    const state = assembleState(input, configurationFor(step), isObject(step.state) ? step.state : {}, run.workflowCredentials);
    rt.info(`Starting step ${name}`);
    let result;
    let error;
    try {
      let globals;
      try {
        globals = await loadGlobals();
      } catch (e) {
        throw { state, error: classify(e) };
      }
      const context = buildContext(state, { globals, console: job });
      result = await executeExpression({
        source: step.expression,
        context,
        link: createLinker({ modules: step.linker ?? {}, repo: run.repoDir, whitelist: run.whitelist, log: rt }),
        log: rt,
        immutable: run.immutableState,
        operations: step.operations ?? [],
        timeoutMs: run.timeoutMs,
      });
    } catch (rejection) {
      if (!(rejection && rejection.error instanceof RuntimeErrorBase)) throw rejection;
      error = rejection.error;
    }
    const duration = () => Date.now() - start;
    const options = { propsToRemove: run.statePropsToRemove, stateLimitMb: run.stateLimitMb };
    if (!error) {
      rt.success(`${name} completed in ${humanDuration(duration())}`);
      const text = finalStateText(result, options, rt);
      const mem = memory();
      rt.debug(`Step memory usage: [step ${Math.round(mem.job / 1048576)}mb] [system ${Math.round(mem.system / 1048576)}mb]`);
      const next = calculateNext(step, text);
      return [{ outcome: 'complete', next, duration: duration(), mem }, text];
    }
    rt.error(`${name} aborted with error (${humanDuration(duration())})`);
    if (step.sourceMap) {
      try {
        mapErrorPositions(error, createSourceMap(step.sourceMap), name);
      } catch {
        rt.warn(`Error occurred trying to resolve sourcemap for ${name}`);
      }
    }
    logError(step, error);
    if (error.severity === 'fail') {
      if (!isObject(state.errors)) state.errors = {};
      state.errors[step.id] = { ...error };
      rt.info(`Check state.errors.${step.id} for details`);
    }
    const text = finalStateText(state, options, rt);
    const next = calculateNext(step, text);
    return [{ outcome: 'error', next, duration: duration(), mem: memory(), error: { ...error } }, text];
  }

  /** A trigger (no expression): its output is its input, its edges are evaluated on the input. */
  function runTrigger(step, inputText) {
    return [{ outcome: 'complete', next: calculateNext(step, inputText), duration: 0 }, inputText];
  }

  function fatal(e, rtLog) {
    if (e?.name === 'StateTooLargeError') rtLog.error(`Critical error processing state: ${e.message}`);
    if (e instanceof FatalError) return { outcome: 'fatal', fatal: { type: e.type, message: e.message, severity: e.severity } };
    if (e instanceof RuntimeErrorBase) return { outcome: 'fatal', fatal: { type: e.name, message: e.message, severity: e.severity } };
    const message = e?.message ?? String(e);
    rtLog.error(`Unexpected error in the runtime: ${e?.stack ?? message}`);
    return { outcome: 'fatal', fatal: { type: 'RuntimeCrash', message, severity: 'crash' } };
  }

  return {
    async run(step, inputText) {
      try {
        return step.expression === undefined || step.expression === null
          ? runTrigger(step, inputText)
          : await runJob(step, inputText);
      } catch (e) {
        return [fatal(e, rt), undefined];
      }
    },
  };
}

module.exports = { createStepRunner };
