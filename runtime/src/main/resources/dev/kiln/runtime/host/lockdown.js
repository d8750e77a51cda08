// Hardening of the host realm, applied before any adaptor or job code runs. Node's permission
// model (set by the run process when it is locked down) covers files, child processes, worker
// threads, addons, WASI and the inspector; it does not cover signals and priorities, which reach
// every process of the same user: the worker (the run process' parent and process group) and
// other runs, nor the network, where UNIX sockets lead to local daemons. Nor does the JS-level sandbox stop the classic constructor-chain escape from a
// step's context to this realm (`console.log.constructor('return process')()`).

function denied(what) {
  const error = new Error(`${what} is not allowed in a Kiln run`);
  error.code = 'ERR_ACCESS_DENIED';
  return error;
}

function freezeProperty(object, name, value) {
  Object.defineProperty(object, name, { value, writable: false, configurable: false, enumerable: false });
}

/** Signals and priorities only for the run process itself (pid 0 would be its process group). */
function confineSignals() {
  const rawKill = process._kill;
  freezeProperty(process, '_kill', function _kill(pid, signal) {
    if (pid !== process.pid) throw denied(`Signalling process ${pid}`);
    return rawKill.call(process, pid, signal);
  });
  freezeProperty(process, '_debugProcess', function _debugProcess(pid) {
    throw denied(`Opening the debugger of process ${pid}`);
  });
  const os = require('node:os');
  const setPriority = os.setPriority;
  os.setPriority = function (pid, priority) {
    if (priority === undefined || pid === 0 || pid === process.pid) return setPriority(pid, priority);
    throw denied(`Changing the priority of process ${pid}`);
  };
  require('node:module').syncBuiltinESMExports();
}

/**
 * `fn.constructor` of every kind of function of this realm refuses code: a function that leaks
 * into a step's context (a logger, a timer, an adaptor's export) no longer opens this realm. The
 * global constructors (`Function`, used by adaptors such as ajv) keep working.
 */
function closeConstructorChains() {
  const kinds = [function () {}, async function () {}, function* () {}, async function* () {}];
  for (const fn of kinds) {
    const prototype = Object.getPrototypeOf(fn);
    const real = prototype.constructor;
    const guard = function () {
      throw new EvalError('Code generation from strings is not allowed in a Kiln run (fn.constructor)');
    };
    Object.defineProperty(guard, 'name', { value: real.name });
    guard.prototype = prototype;
    // an accessor, not a read-only value: code that assigns `fn.constructor = …` on its own
    // functions (axios' bind helper) still gets its own property instead of a TypeError
    Object.defineProperty(prototype, 'constructor', {
      get() { return guard; },
      set(value) {
        if (this === prototype) throw denied('Replacing Function.prototype.constructor');
        Object.defineProperty(this, 'constructor', { value, writable: true, configurable: true, enumerable: true });
      },
      configurable: false,
      enumerable: false,
    });
  }
}

/**
 * No connections to UNIX sockets (a local daemon such as Docker's is a way out of any sandbox);
 * TCP stays open: adaptors talk HTTP. `net.Socket.prototype.connect` is where every client
 * connection starts (net.connect, http's socketPath, ...); the original is kept in this closure.
 */
function closeUnixSockets() {
  const net = require('node:net');
  const connect = net.Socket.prototype.connect;
  freezeProperty(net.Socket.prototype, 'connect', function (...args) {
    const options = Array.isArray(args[0]) ? args[0][0] : net._normalizeArgs(args)[0];
    if (options && options.path !== undefined && options.path !== null) {
      throw denied(`Connecting to the UNIX socket ${options.path}`);
    }
    return connect.apply(this, args);
  });
}

function lockDown() {
  confineSignals();
  closeUnixSockets();
  closeConstructorChains();
}

module.exports = { lockDown };
