// The job sandbox (spec §3.10): a fresh vm context per step with exactly these globals, each frozen
// except `state`, and no code generation from strings (eval / new Function → EvalError).
const vm = require('node:vm');

const BUFFER_MESSAGE = 'Do not call Buffer() constructor directly. Use Buffer.from() instead.';

class SafeBuffer extends Buffer {
  constructor() {
    throw new Error(BUFFER_MESSAGE);
  }
}

function buildContext(state, { globals = {}, console }) {
  const sandbox = {
    ...globals,
    console,
    clearInterval,
    clearTimeout,
    parseFloat,
    parseInt,
    setInterval,
    setTimeout,
    state,
    Buffer: SafeBuffer,
  };
  for (const key of Object.keys(sandbox)) {
    if (key !== 'state' && sandbox[key] !== null && (typeof sandbox[key] === 'object' || typeof sandbox[key] === 'function')) {
      Object.freeze(sandbox[key]);
    }
  }
  return vm.createContext(sandbox, { codeGeneration: { strings: false, wasm: false } });
}

module.exports = { buildContext };
