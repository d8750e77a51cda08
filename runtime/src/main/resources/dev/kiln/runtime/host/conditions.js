// Edge conditions (spec §3.6): JS expressions compiled once per plan into a shared context that holds
// only `console`, with code generation from strings disabled.
const vm = require('node:vm');
const { edgeConditionError } = require('./errors.js');

const SPECIAL = {
  on_job_success: 'Boolean(!state?.errors?.[upstreamStepId] ?? true)',
  on_upstream_success: 'Boolean(!state?.errors?.[upstreamStepId] ?? true)',
  on_job_failure: 'Boolean(state?.errors && state.errors[upstreamStepId])',
  on_upstream_fail: 'Boolean(state?.errors && state.errors[upstreamStepId])',
  always: 'true',
};

function createConditions(console) {
  const context = vm.createContext({ console }, { codeGeneration: { strings: false, wasm: false } });
  const compiled = new Map();
  return {
    /** Compiles {from, to, condition} edges; returns the error messages (empty when all compile). */
    compile(edges) {
      const errors = [];
      for (const { from, to, condition } of edges) {
        const expression = SPECIAL[condition] ?? condition;
        try {
          const fn = vm.compileFunction(`return ${expression}`, ['state', 'upstreamStepId'], { parsingContext: context });
          compiled.set(`${from}->${to}`, fn);
        } catch (e) {
          errors.push(`Failed to compile edge condition ${from}->${to} (${e.message})`);
        }
      }
      return errors;
    },
    /** Truthiness of the edge condition; errors become EdgeConditionError (crash). */
    evaluate(from, to, state) {
      const fn = compiled.get(`${from}->${to}`);
      try {
        return Boolean(fn(state, from));
      } catch (e) {
        throw edgeConditionError(e?.message ?? String(e));
      }
    },
  };
}

module.exports = { createConditions };
