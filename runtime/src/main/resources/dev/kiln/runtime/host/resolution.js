// The adaptor resolution index: for one installed adaptor version (<repo>/node_modules/<alias>),
// which build to import and every CommonJS resolution its module graph made, so that a fresh
// runtime can skip Node's resolver (about half the CPU of loading language-common: 1890
// Module._resolveFilename calls, each probing files and package.json exports); the names of the
// CommonJS build's namespace (linker.js requires it instead of importing it); and which requires
// of one package by another may be answered by a stand-in until first used, with the shape of
// the exports it stands for (lazy dependencies: lazyexports.js).
//
// The index is written only by the engine (<repo>/.kiln/adaptors/<alias>/index.json), from what
// a one-off indexing process recorded (record()); run processes cannot write the repo. Replaying
// it is guarded so that it can never give a result Node's resolver would not: entries apply only
// to parents inside <repo>/node_modules with Node's standard lookup paths and resolve only to
// files inside it, a recorded file that no longer exists is ignored, and an index is not used
// when it does not parse, was made with another Node version, or the package.json stamp of the
// adaptor or of any package of its graph differs (reinstalled, or moved by npm).
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const { shapeOf, isShape, lazyExports, evaluate } = require('./lazyexports.js');

const FORMAT = 3;
const FORMATS = new Set(['import', 'require']);

/**
 * <repo>/node_modules/<alias> → {alias, nodeModules, file: the index}; null for any other folder.
 * Real paths, as Node's resolver gives them (a repo reached through a symbolic link still matches).
 */
function indexLocation(root) {
  let real;
  try {
    real = fs.realpathSync(root);
  } catch {
    return null;
  }
  const parts = real.split(path.sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 1) return null;
  const alias = parts.slice(at + 1).join('/');
  if (!/^(@[^/@.][^/]*\/)?[^/@.][^/]*$/.test(alias)) return null;
  const repo = parts.slice(0, at).join(path.sep) || path.sep;
  return {
    alias,
    nodeModules: path.join(repo, 'node_modules'),
    file: path.join(repo, '.kiln', 'adaptors', alias, 'index.json'),
  };
}

/** Identifies the installed package.json (inode, change time, size): a reinstall changes it. */
function packageStamp(root) {
  const s = fs.statSync(path.join(root, 'package.json'), { bigint: true });
  return `${s.ino}:${s.ctimeNs}:${s.size}`;
}

/**
 * The package folder (relative to node_modules) holding a path relative to node_modules:
 * 'date-fns/esm/index.js' → 'date-fns', 'a/node_modules/@s/b/x.js' → 'a/node_modules/@s/b'.
 */
function packageDir(rel) {
  const parts = rel.split(path.sep);
  const start = parts.lastIndexOf('node_modules') + 1;
  const end = start + (parts[start]?.startsWith('@') ? 2 : 1);
  return end <= parts.length && parts[end - 1] ? parts.slice(0, end).join(path.sep) : null;
}

/**
 * A path relative to node_modules that stays inside it: not absolute, and already normalised
 * (`path.normalize(rel) === rel`: no empty, `.` or `..` segment), so that `${nodeModules}/${rel}`
 * is its absolute path. One regular expression: an index has thousands of paths, and
 * path.normalize, interpreted in a fresh runtime, cost 10–20 ms for language-common's.
 */
const NOT_NORMALISED = /^\/|\/\/|(?:^|\/)\.\.?(?:\/|$)|\0/;
const isInside = (rel) => typeof rel === 'string' && rel !== '' && !NOT_NORMALISED.test(rel);

/** Whether `parent` looks packages up exactly where Node's resolver would for its folder. */
const standardPaths = new Map();
function hasStandardPaths(parent, dir) {
  let expected = standardPaths.get(dir);
  if (!expected) {
    expected = Module._nodeModulePaths(dir);
    standardPaths.set(dir, expected);
  }
  const { paths } = parent;
  if (!Array.isArray(paths) || paths.length !== expected.length) return false;
  for (let i = 0; i < paths.length; i += 1) if (paths[i] !== expected[i]) return false;
  return true;
}

/** The folder of a parent module relative to node_modules, or null when it is not inside it. */
function relativeDir(nodeModules, dir) {
  if (dir === nodeModules) return '';
  return dir.startsWith(nodeModules + path.sep) ? dir.slice(nodeModules.length + 1) : null;
}

/** The package folder of a path relative to node_modules ('' is node_modules itself: none). */
const packageOf = (rel) => (rel === '' ? null : packageDir(rel));

/** Built-ins whose own properties and prototypes a package could change for everyone. */
const BUILT_INS = [
  Object, Function, Array, String, Number, Boolean, Symbol, BigInt, Promise, Map, Set, WeakMap, WeakSet, Date,
  RegExp, Error, TypeError, RangeError, SyntaxError, ArrayBuffer, Uint8Array, DataView, Reflect, JSON, Math,
];

/**
 * The own properties of everything evaluating a package may change for the whole runtime: the
 * global object, `process` and its environment, the built-ins and their prototypes.
 */
function globalFingerprint() {
  const objects = [globalThis, process, process.env];
  for (const builtIn of BUILT_INS) objects.push(builtIn, builtIn.prototype);
  const values = [];
  for (const object of objects) {
    if (object === undefined) continue;
    for (const key of Reflect.ownKeys(object)) {
      const { value, get, set } = Object.getOwnPropertyDescriptor(object, key);
      values.push(object, key, value, get, set);
    }
  }
  return values;
}

const sameFingerprint = (a, b) => a.length === b.length && a.every((value, i) => Object.is(value, b[i]));

/** Whether `source` has `require(<request>)` as a statement of its own: required for its effects. */
function requiredForEffects(source, request) {
  const quoted = `(['"\`])${request.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1`;
  return new RegExp(`(?:^|[;{}\\n\\r])[ \\t]*require\\(\\s*${quoted}\\s*\\)[ \\t]*(?:[;\\n\\r]|$)`).test(source);
}

/**
 * While `load()` runs, notes the requires from one package into another that must evaluate the
 * required package at once, never lazily: those whose evaluation changed something global (a
 * polyfill, a `process.env` default, a listener on `process`), and those that are statements of
 * their own (`require('x');`: for the package's effects, such as registering a locale or plugin).
 * Resolves to {loaded: what load() resolved to, global: files, forEffects: '<from>\0<request>' keys}.
 */
async function noteEffects(nodeModules, load) {
  // Node defines some globals as getters that replace themselves at the first read (fetch,
  // crypto, navigator...): read them all first, so that a package reading one is not taken for one
  // that changed it
  for (const key of Reflect.ownKeys(globalThis)) {
    try {
      globalThis[key];
    } catch {
      // a getter that throws changes nothing
    }
  }
  const global = new Set();
  const forEffects = new Set();
  const sources = new Map(); // parent file → its source
  const original = Module.prototype.require;
  Module.prototype.require = function noticingRequire(request) {
    let file;
    try {
      file = Module._resolveFilename(request, this, false);
    } catch {
      return original.apply(this, arguments); // Node's own error
    }
    const from = typeof this?.filename === 'string' ? relativeDir(nodeModules, path.dirname(this.filename)) : null;
    const to = relativeDir(nodeModules, file);
    if (from === null || !to || packageOf(from) === packageOf(to)) return original.apply(this, arguments);
    if (!sources.has(this.filename)) sources.set(this.filename, fs.readFileSync(this.filename, 'utf8'));
    if (requiredForEffects(sources.get(this.filename), request)) forEffects.add(`${from}\0${request}`);
    if (Module._cache[file]) return original.apply(this, arguments);
    const before = globalFingerprint();
    try {
      return original.apply(this, arguments);
    } finally {
      if (!sameFingerprint(before, globalFingerprint())) global.add(to);
    }
  };
  try {
    return { loaded: await load(), global, forEffects };
  } finally {
    Module.prototype.require = original;
  }
}

/**
 * The requires that may be answered lazily: from one package into another whose evaluation
 * changed nothing global, not required for its effects, and whose exports have a shape a stand-in
 * can answer for. Resolves to
 * {lazy: {<from>\0<request>: <to>}, shapes: {<to>: shape}}.
 */
function lazyRequires(nodeModules, resolutions, { global, forEffects }) {
  const lazy = {};
  const shapes = {};
  for (const [key, to] of Object.entries(resolutions)) {
    const from = key.slice(0, key.indexOf('\0'));
    const loaded = Module._cache[`${nodeModules}/${to}`];
    if (packageOf(from) === packageOf(to) || global.has(to) || forEffects.has(key) || !loaded?.loaded) continue;
    const shape = Object.hasOwn(shapes, to) ? shapes[to] : shapeOf(loaded.exports);
    if (!shape) continue;
    shapes[to] = shape;
    lazy[key] = to;
  }
  return { lazy, shapes };
}

/**
 * Records the CommonJS resolutions of loading the adaptor in `root` (indexing process only):
 * `load()` imports it and resolves to {build: the build it used ('import' | 'require'),
 * exportNames: the names of the namespace it got}. Resolves to the
 * index object (the engine checks it and writes it).
 */
async function record(root, load) {
  const location = indexLocation(root);
  if (!location) throw new Error(`${root} is not an adaptor folder of a repo (<repo>/node_modules/<alias>)`);
  const { nodeModules } = location;
  const stamp = packageStamp(root);
  const resolutions = {};
  const original = Module._resolveFilename;
  Module._resolveFilename = function recordingResolveFilename(request, parent, isMain, options) {
    const file = original.apply(this, arguments);
    if (!isMain && options === undefined && typeof parent?.filename === 'string' && typeof file === 'string') {
      const dir = path.dirname(parent.filename);
      const from = relativeDir(nodeModules, dir);
      const to = relativeDir(nodeModules, file);
      if (from !== null && to && isInside(to) && hasStandardPaths(parent, dir)) {
        resolutions[`${from}\0${request}`] = to;
      }
    }
    return file;
  };
  let noted;
  try {
    noted = await noteEffects(nodeModules, load);
  } finally {
    Module._resolveFilename = original;
  }
  // every package the graph resolved from or into: if npm or an install replaces one, the map is stale
  const packages = {};
  for (const [key, to] of Object.entries(resolutions)) {
    for (const rel of [key.slice(0, key.indexOf('\0')), to]) {
      const dir = rel && packageDir(rel);
      if (dir && !Object.hasOwn(packages, dir) && fs.existsSync(path.join(nodeModules, dir, 'package.json'))) {
        packages[dir] = packageStamp(path.join(nodeModules, dir));
      }
    }
  }
  const { lazy, shapes } = lazyRequires(nodeModules, resolutions, noted);
  return {
    format: FORMAT, alias: location.alias, node: process.versions.node, packageStamp: stamp, entry: noted.loaded.build,
    exportNames: noted.loaded.exportNames, packages, resolutions, lazy, shapes,
  };
}

// ---- replay (run processes) ----

const memo = new Map(); // absolute parent folder + '\0' + request → absolute file
const lazy = new Map(); // absolute parent folder + '\0' + request → {file, shape} (lazyRequires())
const standIns = new Map(); // absolute file → the stand-in every lazy require of it gets
const evaluated = new Set(); // absolute files of the stand-ins evaluated so far
const loaded = new Map(); // index file → its parsed index, or null when unusable
let installed = false;
let lazyInstalled = false;

function installMemo() {
  if (installed) return;
  installed = true;
  const original = Module._resolveFilename;
  Module._resolveFilename = function indexedResolveFilename(request, parent, isMain, options) {
    if (!isMain && options === undefined && typeof parent?.filename === 'string') {
      const dir = path.dirname(parent.filename);
      const file = memo.get(`${dir}\0${request}`);
      if (file !== undefined && hasStandardPaths(parent, dir) && (Module._cache[file] || fs.existsSync(file))) return file;
    }
    return original.apply(this, arguments);
  };
}

/**
 * A require recorded as lazy gets a stand-in for the file's exports (lazyexports.js) while the
 * file is not evaluated yet, the same one for every package that requires it; the stand-in
 * evaluates it with this require (parent and request) at its first use.
 */
function installLazyRequire() {
  if (lazyInstalled) return;
  lazyInstalled = true;
  const original = Module.prototype.require;
  Module.prototype.require = function lazyRequire(request) {
    if (typeof this?.filename === 'string') {
      const dir = path.dirname(this.filename);
      const entry = lazy.get(`${dir}\0${request}`);
      if (entry !== undefined) {
        const standIn = standIns.get(entry.file);
        if (standIn) return standIn;
        if (!Module._cache[entry.file] && hasStandardPaths(this, dir) && fs.existsSync(entry.file)) {
          const parent = this;
          const load = () => {
            const exports = original.call(parent, request);
            evaluated.add(entry.file);
            return exports;
          };
          const created = lazyExports(entry.shape, load, request);
          standIns.set(entry.file, created);
          return created;
        }
      }
    }
    return original.apply(this, arguments);
  };
}

/** Throws unless `index` is a well-formed index of `location`'s adaptor with `stamp`. */
function check(index, location, stamp) {
  if (index?.format !== FORMAT) throw new Error(`format ${index?.format} (expected ${FORMAT})`);
  if (index.alias !== location.alias) throw new Error(`it is the index of ${index.alias}`);
  // another Node may link the ES build, or resolve differently
  if (index.node !== process.versions.node) throw new Error(`it was made with Node ${index.node}`);
  if (index.packageStamp !== stamp) throw new Error('the adaptor was reinstalled since');
  if (!FORMATS.has(index.entry)) throw new Error(`unknown entry ${index.entry}`);
  if (!Array.isArray(index.exportNames) || !index.exportNames.every((name) => typeof name === 'string')) {
    throw new Error('no export names');
  }
  if (typeof index.resolutions !== 'object' || index.resolutions === null) throw new Error('no resolutions');
  if (typeof index.packages !== 'object' || index.packages === null) throw new Error('no packages');
  for (const [dir, packageStampThen] of Object.entries(index.packages)) {
    if (!isInside(dir)) throw new Error(`a package outside node_modules: ${JSON.stringify(dir)}`);
    let now;
    try {
      now = packageStamp(path.join(location.nodeModules, dir));
    } catch {
      now = 'missing';
    }
    if (now !== packageStampThen) throw new Error(`the package ${dir} was replaced or removed since`);
  }
  for (const [key, to] of Object.entries(index.resolutions)) {
    const cut = key.indexOf('\0');
    const from = key.slice(0, cut);
    if (cut < 0 || (from !== '' && !isInside(from)) || !isInside(to) || to === '') {
      throw new Error(`a resolution leaves node_modules: ${JSON.stringify(key)} → ${JSON.stringify(to)}`);
    }
  }
  if (typeof index.lazy !== 'object' || index.lazy === null) throw new Error('no lazy requires');
  if (typeof index.shapes !== 'object' || index.shapes === null) throw new Error('no export shapes');
  for (const [key, to] of Object.entries(index.lazy)) {
    // only resolutions checked above, and only with a shape
    if (!Object.hasOwn(index.resolutions, key) || index.resolutions[key] !== to || !isShape(index.shapes[to])) {
      throw new Error(`a lazy require that is not a recorded resolution with a shape: ${JSON.stringify(key)}`);
    }
  }
}

/**
 * The index of the adaptor installed in `root`, its resolutions added to this runtime's memo;
 * null (load as without an index) when there is none or it is unusable (`report(why)` is told).
 */
function useIndex(root, report) {
  const location = indexLocation(root);
  if (!location) return null;
  if (loaded.has(location.file)) return loaded.get(location.file);
  let index = null;
  try {
    const text = fs.readFileSync(location.file, 'utf8');
    index = JSON.parse(text);
    check(index, location, packageStamp(root));
  } catch (e) {
    // an index of an older format was made by an older Kiln, and the engine rebuilds it: not worth a warning
    const oldFormat = Number.isInteger(index?.format) && index.format < FORMAT;
    if (e?.code !== 'ENOENT' && !oldFormat) report?.(`Ignoring the adaptor index ${location.file}: ${e?.message ?? e}`);
    index = null;
  }
  loaded.set(location.file, index);
  if (!index) return null;
  // check() saw every path normalised and inside: joining is concatenating (path.join, interpreted
  // in a fresh runtime, cost another 15–20 ms)
  const prefix = location.nodeModules;
  const absoluteKey = (key) => (key.startsWith('\0') ? prefix + key : `${prefix}/${key}`);
  for (const [key, to] of Object.entries(index.resolutions)) memo.set(absoluteKey(key), `${prefix}/${to}`);
  for (const [key, to] of Object.entries(index.lazy)) {
    lazy.set(absoluteKey(key), { file: `${prefix}/${to}`, shape: index.shapes[to] });
  }
  installMemo();
  installLazyRequire();
  return index;
}

/** The files of the lazy dependencies this runtime has evaluated (the run used them). */
const evaluatedDependencies = () => [...evaluated];

/**
 * Evaluates now those of `files` that are lazy dependencies still waiting for their first use:
 * a run process serving another run evaluates what the previous one used before the run
 * arrives (language-http's undici, say) instead of in its first step. Other files are ignored;
 * a package whose evaluation throws is left to its first use, which reports it.
 */
function evaluateDependencies(files) {
  for (const file of files) {
    const standIn = standIns.get(file);
    if (!standIn || evaluated.has(file)) continue;
    try {
      evaluate(standIn);
    } catch {
      // its first use reports it
    }
  }
}

module.exports = { record, useIndex, evaluatedDependencies, evaluateDependencies };
