// Precompiled adaptor modules: V8 code caches of the CommonJS modules of an adaptor's graph, made
// after a first evaluation (so they include the functions compiled lazily while the modules'
// top-level code ran), stored in one file beside the adaptor's index
// (<repo>/.kiln/adaptors/<alias>/modules.cache). A run process then compiles none of the ~450
// files of language-common: V8 deserializes their bytecode instead (bench/adaptor-load).
//
// Every module is still read and evaluated afresh in every runtime, in Node's own loader
// (Module._load, require.cache, module.paths, parent/children, JSON and ES modules untouched):
// only the compile step of Module.prototype._compile is replaced, for a module inside the repo's
// node_modules whose content, as Node just read it, has the SHA-256 the cache was made from. It is
// compiled as a script `(function (exports, require, module, __filename, __dirname) {<content>\n})`
// named by its file (stack traces keep the file and line; columns on the first line are shifted by
// the wrapper's length). Anything else goes through Node's compile as before.
//
// V8 checks a cache against the length of its source and the V8 version and flags, and rejects a
// mismatch (the first rejection turns the caches off for the runtime: another memory limit is
// another flag); it does not check the cache's content, and a corrupt cache can crash the process.
// So the file is used only when its SHA-256 is the one the engine recorded in index.json when it
// wrote both (run processes cannot write the repo).
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const crypto = require('node:crypto');
const { isInside } = require('./resolution.js');

const HEAD = '(function (exports, require, module, __filename, __dirname) {';
const TAIL = '\n})';
// taken before any adaptor code runs in this runtime: adaptor code cannot substitute the caches
const createCachedData = vm.Script.prototype.createCachedData;
const originalCompile = Module.prototype._compile;
const sha256 = (data) => crypto.hash('sha256', data);
const SHA256 = /^[0-9a-f]{64}$/;

const precompiled = new Map(); // absolute file → {sha256, cache: Buffer | null}
let recording = null; // indexing: absolute node_modules folder, and the scripts compiled so far
let cacheRejected = false;

function makeRequire(module) {
  // what Node's makeRequireFunction gives a module
  const require = function require(id) {
    return module.require(id);
  };
  function resolve(request, options) {
    return Module._resolveFilename(request, module, false, options);
  }
  resolve.paths = (request) => Module._resolveLookupPaths(request, module);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

/** The module's wrapper, from its cache, or compiled (recording); null to let Node compile it. */
function wrapperOf(content, filename) {
  if (recording) {
    const rel = filename.startsWith(recording.nodeModules + path.sep) ? filename.slice(recording.nodeModules.length + 1) : '';
    // a hashbang is allowed only at the start of a script, not inside the wrapper
    if (!isInside(rel) || content.startsWith('#!') || recording.scripts.has(rel)) return null;
    let script;
    try {
      script = new vm.Script(HEAD + content + TAIL, {
        filename, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
    } catch {
      return null; // Node's compile reports it, or loads the file as an ES module (ESM syntax in a .js)
    }
    recording.scripts.set(rel, { script, sha256: sha256(content) });
    return script.runInThisContext();
  }
  const entry = precompiled.get(filename);
  if (!entry?.cache || cacheRejected || sha256(content) !== entry.sha256) return null;
  const script = new vm.Script(HEAD + content + TAIL, {
    filename, cachedData: entry.cache, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (script.cachedDataRejected) cacheRejected = true; // compiled anyway; no gain in trying the others
  return script.runInThisContext();
}

let installed = false;
function install() {
  if (installed) return;
  installed = true;
  Module.prototype._compile = function precompiledCompile(content, filename, format) {
    const wrapper = format !== 'module' && typeof content === 'string' && typeof filename === 'string'
      ? wrapperOf(content, filename) : null;
    if (!wrapper) return originalCompile.apply(this, arguments);
    return Reflect.apply(wrapper, this.exports, [this.exports, makeRequire(this), this, filename, path.dirname(filename)]);
  };
}

// ---- recording (indexing process) ----

/**
 * Runs `load()` compiling every CommonJS module inside `nodeModules` as a run would, then takes
 * their code caches. Resolves to {result, bundle: {modules: [[relative path, SHA-256 of the
 * content, cache start, cache end]...]}, cache: Buffer}.
 */
async function recordModules(nodeModules, load) {
  install();
  recording = { nodeModules, scripts: new Map() };
  const { scripts } = recording;
  let result;
  try {
    result = await load();
  } finally {
    recording = null;
  }
  const buffers = [];
  const modules = [];
  let at = 0;
  for (const [rel, { script, sha256: hash }] of scripts) {
    const data = Buffer.from(createCachedData.call(script));
    modules.push([rel, hash, at, at + data.length]);
    buffers.push(data);
    at += data.length;
  }
  return { result, bundle: { modules }, cache: Buffer.concat(buffers) };
}

// ---- replay (run processes) ----

/** Throws unless every module of `bundle` is inside node_modules with its cache inside `cache`. */
function check(bundle, cache) {
  if (!Array.isArray(bundle.modules)) throw new Error('no modules');
  for (const m of bundle.modules) {
    const [rel, hash, start, end] = Array.isArray(m) ? m : [];
    if (!isInside(rel) || !SHA256.test(hash) || !Number.isInteger(start) || !Number.isInteger(end)
        || start < 0 || end < start || end > cache.length) {
      throw new Error(`a malformed module entry ${JSON.stringify(m)}`);
    }
  }
}

const used = new Map(); // cache file → its number of modules, 0 when unusable
/**
 * Uses the precompiled modules of an index (its `bundle`) whose cache is in `folder`; returns
 * their number, or 0 when unusable (`report(why)` is told; the adaptor then loads without them).
 */
function usePrecompiled(nodeModules, folder, bundle, report) {
  if (!bundle) return 0;
  const file = path.join(folder, 'modules.cache');
  if (used.has(file)) return used.get(file);
  used.set(file, 0);
  try {
    const cache = fs.readFileSync(file);
    if (sha256(cache) !== bundle.cacheSha256) throw new Error('it is not the file the index was written with');
    check(bundle, cache);
    for (const [rel, hash, start, end] of bundle.modules) {
      // rel is checked: inside node_modules and normalised
      precompiled.set(`${nodeModules}/${rel}`, { sha256: hash, cache: end > start ? cache.subarray(start, end) : null });
    }
    install();
    used.set(file, bundle.modules.length);
    return bundle.modules.length;
  } catch (e) {
    report?.(`Ignoring the precompiled modules ${file}: ${e?.message ?? e}`);
    return 0;
  }
}

module.exports = { recordModules, usePrecompiled };
