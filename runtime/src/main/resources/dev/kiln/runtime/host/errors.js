// The runtime's error taxonomy (spec §2.4, §3.8). Every error a step reports is a plain object with
// enumerable fields in a fixed order; `stack` and `fix` are kept non-enumerable so they never reach
// state.errors.

class RuntimeErrorBase extends Error {
  constructor(name, severity, message, extra = {}) {
    super(message);
    delete this.message; // re-added below, enumerable and in reporting order
    Object.defineProperty(this, 'stack', { value: extra.stack ?? this.stack, enumerable: false, writable: true });
    Object.defineProperty(this, 'fix', { value: extra.fix, enumerable: false, writable: true });
    // enumerable own fields, in the order they are reported
    this.source = 'runtime';
    this.name = name;
    if (extra.subtype) this.subtype = extra.subtype;
    this.severity = severity;
    Object.defineProperty(this, 'message', { value: message, enumerable: true, writable: true, configurable: true });
    if (extra.pos) this.pos = extra.pos;
    if (extra.details !== undefined) this.details = extra.details;
  }
}

function errorKind(e) {
  if (e === null || typeof e !== 'object') return undefined;
  const ctor = e.constructor && e.constructor.name;
  return ['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError'].includes(ctor) ? ctor : e.name;
}

/** `{line, column}` of the first stack frame with a position (only `vm:module(0)` frames with vmOnly). */
function extractPosition(e, vmOnly = false) {
  const stack = typeof e?.stack === 'string' ? e.stack.split('\n').slice(1) : [];
  for (const frame of stack) {
    if (vmOnly && !frame.includes('vm:module(0)')) continue;
    const match = frame.match(/:(\d+):(\d+)\)?\s*$/);
    if (match) return { line: Number(match[1]), column: Number(match[2]) };
  }
  return undefined;
}

/** The message line plus the frames that belong to the job (vm:module) or to an adaptor. */
function extractStackTrace(e) {
  if (typeof e?.stack !== 'string') return undefined;
  const [first, ...frames] = e.stack.split('\n');
  const kept = [];
  for (const frame of frames) {
    if (frame.includes('vm:module')) kept.push(frame);
    else if (frame.includes('@openfn/language-')) {
      const at = frame.indexOf('@openfn/language-');
      kept.push(`    at ${frame.slice(at)}`);
    }
  }
  return [first, ...kept].join('\n');
}

const runtimeError = (e) =>
  new RuntimeErrorBase('RuntimeError', 'fail', `${errorKind(e)}: ${e.message}`, {
    subtype: errorKind(e), pos: extractPosition(e), stack: extractStackTrace(e),
  });

const runtimeCrash = (e) => {
  const subtype = errorKind(e) ?? 'Error';
  return new RuntimeErrorBase('RuntimeCrash', 'crash', `${subtype}: ${e.message}`, {
    subtype, pos: extractPosition(e), stack: extractStackTrace(e), fix: e.fix, details: e.details,
  });
};

const jobError = (e) =>
  new RuntimeErrorBase('JobError', 'fail', typeof e === 'string' ? e : String(e?.message ?? e), {
    stack: typeof e?.stack === 'string' ? extractStackTrace(e) : undefined,
  });

const securityError = () => new RuntimeErrorBase('SecurityError', 'kill', 'Illegal eval statement detected');

const importError = (message) => new RuntimeErrorBase('ImportError', 'crash', message);

const timeoutError = (ms) => new RuntimeErrorBase('TimeoutError', 'kill', `Job took longer than ${ms}ms to complete`);

const edgeConditionError = (message) => new RuntimeErrorBase('EdgeConditionError', 'crash', message);

const stateTooLargeError = (mb) => {
  const e = new RuntimeErrorBase('StateTooLargeError', 'kill', `State exceeds the limit of ${mb}mb`);
  delete e.source; // not an RTError in the reference
  return e;
};

const invalidExportsError = () =>
  new RuntimeErrorBase('ValidationError', 'crash', 'Invalid exports in job expression: exports must be an array', {
    fix: 'Ensure job code has been compiled before calling the runtime',
  });

const invalidOperationError = (idx) =>
  new RuntimeErrorBase('ValidationError', 'crash', `Invalid operation at statement ${idx}`, {
    fix: 'Ensure all top-level function or method calls are wrapped in an operation, like fn()',
  });

/** JSON-safe own enumerable fields of any value (functions dropped), as the reference's safeJSON. */
function safeDetails(error) {
  const details = {};
  if (error && typeof error === 'object') {
    for (const key of Object.keys(error)) {
      const v = error[key];
      if (typeof v !== 'function' && v !== undefined) {
        try {
          details[key] = JSON.parse(JSON.stringify(v) ?? 'null');
        } catch {
          details[key] = String(v);
        }
      }
    }
  }
  return details;
}

/** An error thrown inside an adaptor; with the top-level operation when the job has no vm frame. */
function adaptorError(e, operation) {
  const message = typeof e === 'string' ? e : e.message;
  const error = new RuntimeErrorBase('AdaptorError', 'fail', message, {
    details: { message, ...safeDetails(e) },
    stack: extractStackTrace(e),
  });
  if (operation) {
    error.operationName = operation.name;
    error.line = operation.line;
  } else {
    const pos = extractPosition(e, true);
    if (pos) error.pos = pos;
  }
  return error;
}

/** Classifies whatever an expression threw (spec §3.8 step 8). */
function classify(e) {
  if (e instanceof RuntimeErrorBase) return e;
  const kind = errorKind(e);
  if (kind === 'TypeError' || kind === 'RangeError') return runtimeError(e);
  if (e?.severity === 'crash' || kind === 'ReferenceError' || kind === 'SyntaxError') return runtimeCrash(e);
  if (kind === 'EvalError') return securityError();
  return jobError(e);
}

module.exports = {
  RuntimeErrorBase, classify, extractPosition, extractStackTrace, adaptorError, importError, timeoutError,
  edgeConditionError, stateTooLargeError, invalidExportsError, invalidOperationError,
};
