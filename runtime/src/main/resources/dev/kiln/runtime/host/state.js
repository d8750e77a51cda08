// State assembly before a step and clean-up after it (spec §3.7, §4.1).
const { safeStringify } = require('./serialize.js');
const { stateTooLargeError } = require('./errors.js');

/** The operation-returned-nothing marker: an empty object tagged with a symbol. */
const NULL_STATE = Symbol('null-state');
const createNullState = () => ({ [NULL_STATE]: true });
const isNullState = (state) => Boolean(state && typeof state === 'object' && state[NULL_STATE]);

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function assembleState(initial = {}, configuration = {}, defaultState = {}, globalCredentials = {}) {
  const obj = { ...defaultState, ...initial };
  obj.configuration = Object.assign({}, globalCredentials, initial?.configuration, configuration);
  const initialData = initial?.data;
  obj.data = initialData && (Array.isArray(initialData) || typeof initialData !== 'object')
    ? initialData
    : Object.assign({}, isObject(defaultState?.data) ? defaultState.data : {}, initialData);
  return obj;
}

/**
 * The JSON text of a step's output, or undefined when the step produced nothing. Removes
 * `propsToRemove` (logged), then serialises (cycles → '[Circular]'; BigInt → string with a warning)
 * and enforces the size limit on the text that leaves the step.
 */
function finalStateText(state, { propsToRemove, stateLimitMb }, log) {
  if (isNullState(state)) return undefined;
  if (state === undefined) return undefined;
  if (isObject(state) && propsToRemove.length > 0) {
    const present = propsToRemove.filter((key) => Object.prototype.hasOwnProperty.call(state, key));
    if (present.length > 0) log.debug(`Cleaning up state. Removing keys: ${present.join(', ')}`);
    for (const key of present) delete state[key];
  }
  let serialized;
  try {
    serialized = safeStringify(state);
  } catch (e) {
    throw new Error(`the state cannot be serialised to JSON: ${e.message}`);
  }
  if (serialized.bigints > 0) {
    log.warn(`WARNING: state contained ${serialized.bigints} BigInt value(s); they were written as strings`);
  }
  if (serialized.text === undefined) return undefined;
  if (stateLimitMb > 0 && Buffer.byteLength(serialized.text, 'utf8') > stateLimitMb * 1024 * 1024) {
    throw stateTooLargeError(stateLimitMb);
  }
  return serialized.text;
}

module.exports = { assembleState, finalStateText, createNullState, isNullState, isObject };
