// Escape attempts from a malicious adaptor (host realm: full Node API, runs unmodified). Each
// resolves to a truthy value only when it achieved its goal. `ctx` is the run's input data:
// paths the test prepared outside the run folder, the worker's secret, the repo.
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');

const suite = {
  'see Object.prototype pollution left by an earlier run': async (ctx) =>
    [({}).kilnPolluted, [].kilnPolluted].find((mark) => mark && mark !== ctx.runMark),
  'read /proc/self/environ': async () => fs.readFileSync('/proc/self/environ', 'utf8'),
  "read the parent's /proc/<ppid>/environ": async () => fs.readFileSync(`/proc/${process.ppid}/environ`, 'utf8'),
  "find the worker's secrets in process.env (WORKER_SECRET, KILN_API_TOKEN)": async () =>
    Object.entries(process.env).find(([k, v]) => /SECRET|TOKEN|PASSWORD/i.test(k) || /escape-suite/.test(v)),
  "read the worker's config file": async (ctx) => fs.readFileSync(ctx.workerConfig, 'utf8'),
  "list the worker's data folder": async (ctx) => fs.readdirSync(ctx.workerData),
  'read the worker config with fs.promises / a stream': async (ctx) => {
    await fs.promises.readFile(ctx.workerConfig, 'utf8');
    return new Promise((resolve, reject) => fs.createReadStream(ctx.workerConfig).on('data', resolve).on('error', reject));
  },
  'read /etc/shadow': async () => fs.readFileSync('/etc/shadow', 'utf8'),
  'write a file outside the run folder': async (ctx) => { fs.writeFileSync(path.join(ctx.workerData, 'pwned.txt'), 'x'); return true; },
  "write into the adaptor repo (poison other runs' adaptors)": async (ctx) => {
    fs.appendFileSync(path.join(ctx.repo, 'package.json'), ' ');
    return true;
  },
  "write an adaptor resolution index (redirect other runs' requires)": async (ctx) => {
    const folder = path.join(ctx.repo, '.kiln', 'adaptors', '@openfn', 'language-common_3.3.4');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'index.json'), JSON.stringify({ format: 1, resolutions: {} }));
    return true;
  },
  "list the compile cache (other workflows' compiled code)": async (ctx) => fs.readdirSync(ctx.compileCache),
  "plant a compiled step in the compile cache (code for other runs)": async (ctx) => {
    fs.writeFileSync(path.join(ctx.compileCache, `step-${'0'.repeat(64)}`), 'kiln-cache 1\n');
    return true;
  },
  'symlink in the run folder to / and read through it': async () => {
    fs.symlinkSync('/etc', path.join(process.cwd(), 'etc-link'));
    return fs.readFileSync(path.join(process.cwd(), 'etc-link', 'hostname'), 'utf8');
  },
  "hard link of the worker's config into the run folder": async (ctx) => {
    fs.linkSync(ctx.workerConfig, path.join(process.cwd(), 'config-link'));
    return fs.readFileSync(path.join(process.cwd(), 'config-link'), 'utf8');
  },
  'chdir("/") and read a relative path': async () => { process.chdir('/'); return fs.readFileSync('etc/hostname', 'utf8'); },
  'child_process.execSync("sh -c id")': async () => require('node:child_process').execSync('sh -c id').toString(),
  'child_process.spawn("sh")': async () => new Promise((resolve, reject) => {
    const child = require('node:child_process').spawn('sh', ['-c', 'echo spawned']);
    child.on('error', reject);
    child.stdout.on('data', (d) => resolve(String(d)));
  }),
  'worker_threads.Worker running code': async () => new Promise((resolve, reject) => {
    const worker = new (require('node:worker_threads').Worker)('require("node:worker_threads").parentPort.postMessage(1)', { eval: true });
    worker.on('message', resolve);
    worker.on('error', reject);
  }),
  'process.dlopen a native addon': async (ctx) => {
    const m = { exports: {} };
    process.dlopen(m, ctx.nativeLibrary);
    return true;
  },
  'require() a .node addon': async (ctx) => {
    const target = path.join(process.cwd(), 'addon.node');
    fs.writeFileSync(target, fs.readFileSync(ctx.nativeLibrary));
    return require(target);
  },
  "process.binding('spawn_sync')": async () => process.binding('spawn_sync'),
  "process.binding('fs') to read files": async () => process.binding('fs'),
  "process._linkedBinding('javet')": async () => process._linkedBinding('javet'),
  'inspector.open() (debugger port)': async () => { require('node:inspector').open(0); return require('node:inspector').url(); },
  'process._debugProcess(ppid): open the worker\'s debugger': async () => { process._debugProcess(process.ppid); return true; },
  "process.kill(ppid, 0): signal the worker": async () => process.kill(process.ppid, 0),
  "os.setPriority(ppid): renice the worker": async () => { os.setPriority(process.ppid, os.getPriority(process.ppid)); return true; },
  'WASI with / preopened': async () => new (require('node:wasi').WASI)({ version: 'preview1', preopens: { '/': '/' } }),
  'connect to a UNIX socket outside the run folder (a daemon)': async (ctx) => new Promise((resolve, reject) => {
    const socket = require('node:net').connect(ctx.daemonSocket);
    socket.on('connect', () => { socket.destroy(); resolve(true); });
    socket.on('error', reject);
  }),
  'fetch("file:///etc/hostname")': async () => (await fetch('file:///etc/hostname')).text(),
  'Java objects on the host global (javet, Java, Packages) or getClass() on bound functions': async () => {
    const names = Object.getOwnPropertyNames(globalThis).filter((n) => /javet|java|packages|bridge/i.test(n));
    const withGetClass = Object.getOwnPropertyNames(globalThis).filter((n) => {
      try { return typeof globalThis[n]?.getClass === 'function'; } catch { return false; }
    });
    return names.length > 0 || withGetClass.length > 0 ? names.concat(withGetClass).join(',') : false;
  },
  'Java through the stdout bridge (process.stdout.write returning a Java object)': async () => {
    const result = process.stdout.write({ getClass() { return 'x'; } }.toString());
    return result && typeof result === 'object' && typeof result.getClass === 'function';
  },
  'forge a frame on the stdout pipe (fd 1) with the credentials': async (ctx, state) => {
    const message = JSON.stringify([`forged ${state.configuration?.password}`]);
    const meta = JSON.stringify({ level: 'info', name: 'ADA', message, time: '1' });
    fs.writeSync(1, `log ${Buffer.byteLength(meta)} 0\n${meta}`);
    return false; // the effect is checked in the events: no secret may reach them
  },
  'Object.prototype pollution from the adaptor (checked by the next run)': async (ctx) => {
    Object.prototype.kilnPolluted = ctx.runMark;
    Array.prototype.kilnPolluted = ctx.runMark;
    return false;
  },
};

// Run while another run (the victim) holds its credentials in its own run folder.
const concurrent = {
  "read the other run's credentials file": async (ctx) => fs.readFileSync(path.join(ctx.victimFolder, 'creds.json'), 'utf8'),
  'list the folders of all runs (the parent of its own folder)': async () => fs.readdirSync(path.dirname(process.cwd())),
  "read the other run process' /proc/<pid>/environ": async (ctx) => fs.readFileSync(`/proc/${ctx.victimPid}/environ`, 'utf8'),
  "read the other run's folder through /proc/<pid>/cwd": async (ctx) => fs.readFileSync(`/proc/${ctx.victimPid}/cwd/creds.json`, 'utf8'),
  "read the other run process' memory (/proc/<pid>/mem)": async (ctx) => fs.readFileSync(`/proc/${ctx.victimPid}/mem`),
  'signal the other run process (kill 0)': async (ctx) => process.kill(Number(ctx.victimPid), 0),
};

module.exports = { suite, concurrent };
