// Running one step's compiled ES module (spec §3.8): load it in the step's context, check its
// default export, run the operations through the adaptor's `execute` (or the default one).
const vm = require('node:vm');
const {
  classify, adaptorError, invalidExportsError, invalidOperationError, timeoutError, RuntimeErrorBase,
} = require('./errors.js');
const { createNullState, isNullState } = require('./state.js');
const { humanDuration } = require('./logger.js');
const { safeStringify } = require('./serialize.js');

async function loadModule(source, context, link) {
  const module = new vm.SourceTextModule(source, { context });
  await module.link((specifier) => link(specifier, context));
  await module.evaluate();
  return module.namespace;
}

const ADAPTOR_FRAME = /(@openfn\/language-)|(packages\/.+\/dist)|(vm:module)|(node_modules)/;

/** True when the first relevant stack frame belongs to an adaptor rather than to the job. */
function thrownByAdaptor(e) {
  if (typeof e?.stack !== 'string') return false;
  for (const frame of e.stack.split('\n').slice(1)) {
    if (frame.includes('kiln-host:')) return false;
    // the reference only recognised anonymous job frames ('at vm:module(0)'), so an error in a
    // named job function ('at named (vm:module(0):…)') was blamed on the adaptor
    if (ADAPTOR_FRAME.test(frame)) return !frame.includes('vm:module(');
  }
  return false;
}

function wrapOperation(fn, idx, { log, immutable, operations }) {
  const name = idx + 1;
  return async (state) => {
    log.debug(`Starting operation ${name}`);
    const start = Date.now();
    let input = state;
    if (isNullState(input)) {
      input = undefined;
      log.warn(`WARNING: No state was passed into operation ${name}. Did the previous operation return state?`);
    }
    if (immutable && input !== undefined) {
      const { text } = safeStringify(input);
      input = text === undefined ? undefined : JSON.parse(text);
    }
    let result;
    try {
      result = await fn(input);
    } catch (e) {
      if (e?.name !== 'AdaptorError' && thrownByAdaptor(e)) {
        const hasVmFrame = e.stack.includes('vm:module');
        throw adaptorError(e, hasVmFrame ? undefined : operations[idx]);
      }
      throw e;
    }
    if (!result) {
      log.debug(`Warning: operation ${name} did not return state`);
      result = createNullState();
    }
    log.debug(`Operation ${name} complete in ${humanDuration(Date.now() - start)}`);
    return result;
  };
}

const defaultExecute = (...operations) => (state) =>
  operations.reduce((promise, operation) => promise.then(operation), Promise.resolve(state));

/**
 * Resolves with the expression's final state, or rejects with {state, error} (error classified);
 * a timeout rejects with the TimeoutError itself (it aborts the workflow without a step error).
 */
function executeExpression({ source, context, link, log, immutable, operations, timeoutMs }) {
  const state = context.state;
  return new Promise((resolve, reject) => {
    let timer;
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        log.error(`Error: Timeout expired (${timeoutMs}ms)`);
        reject(timeoutError(timeoutMs));
      }, timeoutMs);
    }
    const run = async () => {
      const namespace = await loadModule(source, context, link);
      const ops = namespace.default;
      if (!Array.isArray(ops)) throw invalidExportsError();
      ops.forEach((op, idx) => {
        if (typeof op !== 'function') throw invalidOperationError(idx);
      });
      const execute = typeof namespace.execute === 'function' ? namespace.execute : defaultExecute;
      const reducer = execute(...ops.map((op, idx) => wrapOperation(op, idx, { log, immutable, operations })));
      return reducer(state);
    };
    run().then(
      (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      (e) => {
        clearTimeout(timer);
        reject({ state, error: e instanceof RuntimeErrorBase ? e : classify(e) });
      },
    );
  });
}

module.exports = { executeExpression, loadModule };
