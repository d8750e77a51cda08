// Precompiled adaptor modules: the CommonJS modules of an adaptor's graph, each wrapped as Node
// wraps a module, in one source file (<repo>/.kiln/adaptors/<alias>/modules.js), and V8 code
// caches of them made after a first evaluation, so they include the functions compiled lazily
// while the modules' top-level code ran (modules.cache). A run process then compiles none of the
// ~450 files of language-common: V8 deserializes their bytecode instead (about half the CPU of an
// indexed load, see bench/adaptor-load).
//
// Every module is still evaluated afresh in every runtime, in Node's own loader (Module._load,
// require.cache, module.paths, parent/children): only the compile step of
// Module.prototype._compile is replaced, and only for a file whose content, as Node just read it,
// is exactly the bundled source. Anything else (a changed file, JSON, ES modules, a module the
// bundle does not have) goes through Node's compile as before.
//
// V8 checks a cache against the length of its source and the V8 version and flags, and rejects a
// mismatch (the first rejection turns the cache off for the runtime); it does not check the
// cache's content, and a corrupt cache can crash the process. So both files are used only when
// their SHA-256 are those the engine recorded in index.json when it wrote them (run processes
// cannot write the repo).
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const crypto = require('node:crypto');

const HEAD = '(function (exports, require, module, __filename, __dirname) {';
const TAIL = '\n})';
// taken before any adaptor code runs in this runtime: adaptor code cannot substitute the caches
const createCachedData = vm.Script.prototype.createCachedData;
const originalCompile = Module.prototype._compile;

/** A path relative to node_modules that stays inside it. */
const isInside = (rel) => typeof rel === 'string' && rel !== '' && !path.isAbsolute(rel) && path.normalize(rel) === rel
  && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !rel.includes('\0');

// ---- recording (indexing process) ----

/**
 * Runs `load()` and collects every module inside `nodeModules` that Node compiles as CommonJS
 * meanwhile; resolves to {result, bundle: {modules: [[relative path, start, end]...]}, source}
 * where source.slice(start, end) is the module wrapped.
 */
async function recordModules(nodeModules, load) {
  const compiled = [];
  const seen = new Set();
  Module.prototype._compile = function recordingCompile(content, filename, format) {
    const rel = typeof filename === 'string' && filename.startsWith(nodeModules + path.sep)
      ? filename.slice(nodeModules.length + 1) : null;
    // a hashbang is allowed only at the start of a script, not inside the wrapper
    if (format !== 'module' && rel && isInside(rel) && typeof content === 'string' && !content.startsWith('#!')
        && !seen.has(rel)) {
      seen.add(rel);
      compiled.push([rel, content]);
    }
    return originalCompile.apply(this, arguments);
  };
  let result;
  try {
    result = await load();
  } finally {
    Module.prototype._compile = originalCompile;
  }
  const parts = [];
  const modules = [];
  let at = 0;
  for (const [rel, content] of compiled) {
    const wrapped = HEAD + content + TAIL;
    modules.push([rel, at, at + wrapped.length]);
    parts.push(wrapped);
    at += wrapped.length;
  }
  return { result, bundle: { modules }, source: parts.join('') };
}

// ---- replay (run processes; the indexing process when it makes the caches) ----

const bundled = new Map(); // absolute file → {source, start, end, cache | null}
const scripts = []; // [absolute file, vm.Script] in compile order, when making caches
let producing = false;
let cacheRejected = false;
let installed = false;

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

function install() {
  if (installed) return;
  installed = true;
  Module.prototype._compile = function precompiledCompile(content, filename, format) {
    const entry = format !== 'module' && typeof filename === 'string' ? bundled.get(filename) : undefined;
    if (!entry || (!entry.cache && !producing) || cacheRejected
        || content.length !== entry.end - entry.start - HEAD.length - TAIL.length
        || content !== entry.source.slice(entry.start + HEAD.length, entry.end - TAIL.length)) {
      return originalCompile.apply(this, arguments);
    }
    const script = new vm.Script(entry.source.slice(entry.start, entry.end), {
      filename,
      cachedData: entry.cache ?? undefined,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (entry.cache && script.cachedDataRejected) {
      cacheRejected = true; // other V8 flags (a run's memory limit) or version: compiling here is no gain
    }
    if (producing) scripts.push([filename, script]);
    const wrapper = script.runInThisContext();
    return Reflect.apply(wrapper, this.exports, [this.exports, makeRequire(this), this, filename, path.dirname(filename)]);
  };
}

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

/** Adds the modules of `bundle` (index.bundle) to this runtime's precompiled modules. */
function register(nodeModules, bundle, source, cache) {
  for (const [rel, start, end, cacheStart, cacheEnd] of bundle.modules) {
    bundled.set(path.join(nodeModules, rel), {
      source, start, end, cache: cache && cacheEnd > cacheStart ? cache.subarray(cacheStart, cacheEnd) : null,
    });
  }
  install();
}

/** Throws unless `bundle` describes modules inside node_modules at ranges inside `source` and `cache`. */
function check(bundle, source, cache) {
  if (!Array.isArray(bundle?.modules)) throw new Error('no modules');
  for (const m of bundle.modules) {
    const [rel, start, end, cacheStart, cacheEnd] = Array.isArray(m) ? m : [];
    if (!isInside(rel) || !(Number.isInteger(start) && start >= 0 && end <= source.length && end - start >= HEAD.length + TAIL.length)
        || !(Number.isInteger(cacheStart) && cacheStart >= 0 && Number.isInteger(cacheEnd) && cacheEnd >= cacheStart && cacheEnd <= cache.length)) {
      throw new Error(`a malformed module entry ${JSON.stringify(m)}`);
    }
  }
}

/**
 * Uses the precompiled modules of an index (its `bundle`) stored in `folder`; returns their
 * number, or 0 when unusable (`report(why)` is told; the adaptor then loads as without them).
 */
const used = new Map(); // folder → its number of modules in use
function usePrecompiled(nodeModules, folder, bundle, report) {
  if (!bundle) return 0;
  if (used.has(folder)) return used.get(folder);
  used.set(folder, 0);
  try {
    const sourceBytes = fs.readFileSync(path.join(folder, 'modules.js'));
    const cache = fs.readFileSync(path.join(folder, 'modules.cache'));
    if (sha256(sourceBytes) !== bundle.sourceSha256) throw new Error('modules.js is not the one the index was written with');
    if (sha256(cache) !== bundle.cacheSha256) throw new Error('modules.cache is not the one the index was written with');
    const source = sourceBytes.toString('utf8');
    check(bundle, source, cache);
    register(nodeModules, bundle, source, cache);
    used.set(folder, bundle.modules.length);
    return bundle.modules.length;
  } catch (e) {
    report?.(`Ignoring the precompiled modules in ${folder}: ${e?.message ?? e}`);
    return 0;
  }
}

/**
 * Indexing process, in a runtime that has not loaded the adaptor: compiles its modules from
 * `source` while `load()` runs, then makes their code caches. Resolves to {ranges: [[start, end]
 * per module of bundle.modules, [0, 0] for one that was not loaded], cache: base64}.
 */
async function makeCaches(nodeModules, bundle, source, load) {
  producing = true;
  register(nodeModules, { modules: bundle.modules.map(([rel, start, end]) => [rel, start, end, 0, 0]) }, source, null);
  try {
    await load();
  } finally {
    producing = false;
  }
  const made = new Map(scripts.map(([file, script]) => [file, Buffer.from(createCachedData.call(script))]));
  const buffers = [];
  const ranges = [];
  let at = 0;
  for (const [rel] of bundle.modules) {
    const data = made.get(path.join(nodeModules, rel));
    ranges.push(data ? [at, at + data.length] : [0, 0]);
    if (data) {
      buffers.push(data);
      at += data.length;
    }
  }
  return { ranges, cache: Buffer.concat(buffers).toString('base64') };
}

module.exports = { recordModules, usePrecompiled, makeCaches };
