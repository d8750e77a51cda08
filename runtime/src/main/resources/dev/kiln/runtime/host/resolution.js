// The adaptor resolution index: for one installed adaptor version (<repo>/node_modules/<alias>),
// which build to import and every CommonJS resolution its module graph made, so that a fresh
// runtime can skip Node's resolver (about half the CPU of loading language-common: 1890
// Module._resolveFilename calls, each probing files and package.json exports).
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

const FORMAT = 1;
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

/**
 * Records the CommonJS resolutions of loading the adaptor in `root` (indexing process only):
 * `load()` imports it and resolves to the build it used ('import' | 'require'). Resolves to the
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
  let entry;
  try {
    entry = await load();
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
  return {
    format: FORMAT, alias: location.alias, node: process.versions.node, packageStamp: stamp, entry, packages, resolutions,
  };
}

// ---- replay (run processes) ----

const memo = new Map(); // absolute parent folder + '\0' + request → absolute file
const loaded = new Map(); // index file → its parsed index, or null when unusable
let installed = false;

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

/** Throws unless `index` is a well-formed index of `location`'s adaptor with `stamp`. */
function check(index, location, stamp) {
  if (index?.format !== FORMAT) throw new Error(`format ${index?.format} (expected ${FORMAT})`);
  if (index.alias !== location.alias) throw new Error(`it is the index of ${index.alias}`);
  // another Node may link the ES build, or resolve differently
  if (index.node !== process.versions.node) throw new Error(`it was made with Node ${index.node}`);
  if (index.packageStamp !== stamp) throw new Error('the adaptor was reinstalled since');
  if (!FORMATS.has(index.entry)) throw new Error(`unknown entry ${index.entry}`);
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
    if (e?.code !== 'ENOENT') report?.(`Ignoring the adaptor index ${location.file}: ${e?.message ?? e}`);
    index = null;
  }
  loaded.set(location.file, index);
  if (!index) return null;
  // check() saw every path normalised and inside: joining is concatenating (path.join, interpreted
  // in a fresh runtime, cost another 15–20 ms)
  const prefix = location.nodeModules;
  for (const [key, to] of Object.entries(index.resolutions)) {
    const cut = key.indexOf('\0');
    const from = key.slice(0, cut);
    memo.set(`${from === '' ? prefix : `${prefix}/${from}`}${key.slice(cut)}`, `${prefix}/${to}`);
  }
  installMemo();
  return index;
}

module.exports = { record, useIndex };
