// Escape attempts from job code (the step's vm context). Each resolves to a truthy value only when
// it achieved its goal; a throw or a falsy value is a failed attempt. `ctx` is the run's input data.
({
  'see Object.prototype pollution left by an earlier run': async (ctx, state) =>
    [({}).kilnPolluted, [].kilnPolluted, Object.getPrototypeOf(state).kilnPolluted].find((mark) => mark && mark !== ctx.runMark),
  'eval("process") in the job context': async () => eval('process'),
  'indirect (0, eval)("process")': async () => (0, eval)('process'),
  'new Function("return process")()': async () => new Function('return process')(),
  'console.log.constructor("return process")() (host Function via a host function)': async () =>
    console.log.constructor('return process')(),
  'state.constructor.constructor("return process")()': async (ctx, state) => state.constructor.constructor('return process')(),
  'Object.getPrototypeOf(setTimeout).constructor: host Function': async () =>
    Object.getPrototypeOf(setTimeout).constructor('return process')(),
  '(async () => {}).constructor("return process")': async () => (async () => {}).constructor('return process')(),
  'host AsyncFunction via a host async function (console.confirm)': async () =>
    console.confirm.constructor('return process')(),
  'Buffer.constructor / Buffer.from.constructor': async () => Buffer.from.constructor('return process')(),
  'setTimeout with a string of code': async () => new Promise((resolve, reject) => {
    try { setTimeout('globalThis.__kilnEscaped = process', 0); } catch (e) { reject(e); return; }
    setTimeout(() => resolve(globalThis.__kilnEscaped), 10);
  }),
  'WebAssembly.compile of a module': async () => WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])),
  'require / process / module globals': async () =>
    [typeof require, typeof process, typeof module, typeof global].some((t) => t !== 'undefined'),
  'dynamic import("node:fs")': async () => (await import('node:fs')).readFileSync('/etc/hostname', 'utf8'),
  'dynamic import("node:child_process")': async () => (await import('node:child_process')).execSync('id').toString(),
  'dynamic import of an absolute path (/etc/passwd.js)': async () => import('/etc/passwd.js'),
  'Error.prepareStackTrace on a host error: CallSite.getThis()/getFunction()': async () => {
    let hostError;
    try { setTimeout(42); } catch (e) { hostError = e; }
    const HostError = Object.getPrototypeOf(Object.getPrototypeOf(hostError)).constructor;
    HostError.prepareStackTrace = (e, frames) => frames.map((f) => f.getThis() ?? f.getFunction());
    let frames;
    try { setTimeout(42); } catch (e) { frames = e.stack; }
    HostError.prepareStackTrace = undefined;
    return Array.isArray(frames) && frames.find((f) => f && (typeof f.process === 'object' || typeof f === 'function'));
  },
  'Java through globals (Java.type, Packages, javet)': async () =>
    [typeof Java, typeof Packages, typeof javet, typeof java].some((t) => t !== 'undefined'),
  'Object.prototype pollution through state.__proto__ (checked by the next run)': async (ctx, state) => {
    Object.getPrototypeOf(state).kilnPolluted = ctx.runMark;
    Object.prototype.kilnPolluted = ctx.runMark;
    return false; // the effect is checked in a second run
  },
})
