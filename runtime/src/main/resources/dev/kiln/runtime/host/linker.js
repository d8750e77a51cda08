// Module linking for job modules (spec §3.9): whitelist, @openfn/runtime, absolute paths, and
// adaptors from the repo (<repo>/package.json dependency aliases name_version →
// <repo>/node_modules/name_version). Adaptors are imported in the host realm (full Node) and
// exposed to the job context through a SyntheticModule.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const { pathToFileURL } = require('node:url');
const { importError } = require('./errors.js');
const helpers = require('./helpers.js');
const { useIndex, record } = require('./resolution.js');

/** '/abc/ig' → /abc/ig; 'abc' → /abc/ (spec §3.1 parseRegex). */
function parseRegex(text) {
  if (text instanceof RegExp) return text;
  const match = /^\/(.*)\/([a-z]*)$/s.exec(text);
  return match ? new RegExp(match[1], match[2]) : new RegExp(text);
}

/** 'name@version' split at the last '@' when it is not the first character. */
function getNameAndVersion(specifier) {
  const at = specifier.lastIndexOf('@');
  return at > 0 ? { name: specifier.slice(0, at), version: specifier.slice(at + 1) } : { name: specifier };
}

const getAliasedName = (name, version) => (version ? `${name}_${version}` : name);

/** Numeric semver-ish comparison (the reference compared strings: '10.0.0' < '9.0.0'; fixed). */
function compareVersions(a, b) {
  const pa = a.split(/[.+-]/);
  const pb = b.split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    const diff = !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x < y ? -1 : x > y ? 1 : 0;
    if (diff !== 0) return diff;
  }
  return 0;
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function repoDependencies(repo) {
  try {
    return readJson(path.join(repo, 'package.json')).dependencies ?? {};
  } catch {
    return {};
  }
}

/** The folder of an installed package in the repo, or null. */
function getModulePath(name, version, repo) {
  const deps = repoDependencies(repo);
  if (version) {
    const alias = getAliasedName(name, version);
    return deps[alias] ? path.join(repo, 'node_modules', alias) : null;
  }
  const prefix = `${name}_`;
  const versions = Object.keys(deps).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  if (versions.length === 0) return null;
  versions.sort(compareVersions);
  return path.join(repo, 'node_modules', getAliasedName(name, versions[versions.length - 1]));
}

/**
 * exports (string) → exports['.'] (string or .import / .default) → main → index.js.
 * `requirePath` is the package's CommonJS entry (exports['.'].require), when it has one.
 */
function getModuleEntryPoint(root) {
  const pkg = readJson(path.join(root, 'package.json'));
  let entry;
  let requireEntry;
  const exp = pkg.exports;
  if (typeof exp === 'string') entry = exp;
  else if (exp && exp['.']) {
    const dot = exp['.'];
    entry = typeof dot === 'string' ? dot : dot.import ?? dot.default ?? dot.require;
    if (entry && typeof entry === 'object') entry = entry.default;
    requireEntry = typeof dot === 'object' && typeof dot.require === 'string' ? dot.require : undefined;
  }
  entry = entry ?? pkg.main ?? 'index.js';
  return {
    path: path.resolve(root, entry),
    requirePath: requireEntry && path.resolve(root, requireEntry),
    version: pkg.version,
  };
}

/**
 * Node 22.12 (the one Javet embeds) ships cjs-module-lexer 1.4.1, which does not see Babel's
 * `get: function get() {…}` export getters, so an ES module importing named exports from such a
 * CommonJS dependency fails to link (language-common 3.3.4's dist/index.js → date-fns 2.x).
 * Linking fails before anything is evaluated, so loading the package's own CommonJS build
 * instead is clean.
 */
function isCjsNamedExportError(e) {
  return e instanceof SyntaxError && /is a CommonJS module, which may not support all module\.exports/.test(e.message);
}

/**
 * An extension-less deep import into a CommonJS package without an exports map (language-common
 * 2.x's dist/index.js → `lodash/set`): only CommonJS resolution finds it, Node's ES resolver
 * refuses it (with a "Did you mean" hint). Resolution also fails before evaluation.
 */
function isCjsOnlyResolutionError(e) {
  return e?.code === 'ERR_MODULE_NOT_FOUND' && /Did you mean to import/.test(e.message);
}

/**
 * Imports an adaptor entry; resolves to `{namespace, build}` where build is the one loaded
 * ('import': the ES build, 'require': the CommonJS one, when the ES build does not link).
 */
async function importEntry(entry, log) {
  const load = (file) => import(pathToFileURL(file).href);
  try {
    return { namespace: await load(entry.path), build: 'import' };
  } catch (e) {
    if (!entry.requirePath || !(isCjsNamedExportError(e) || isCjsOnlyResolutionError(e))) throw e;
    log?.debug?.(`Loading ${entry.requirePath} instead of ${entry.path} (${e.message.split('\n')[0]})`);
    return { namespace: await load(entry.requirePath), build: 'require' };
  }
}

const commonJsNamespaces = new Map(); // CommonJS entry file → the namespace made for it

/**
 * What `import()` of the CommonJS module at `file` gives, without Node's ES loader: Node 22.12
 * loads the module with Module._load and makes a namespace of `exportNames` (its lexer's static
 * analysis of the source, recorded by the adaptor index from the real import): `default` is
 * module.exports, every other name its own property read once after evaluation, or undefined.
 * Made once per file, like Node's. Initialising the ES loader and the lexer costs ~15 ms of CPU in
 * each fresh runtime, a quarter of loading language-common with lazy dependencies.
 */
function requireAsNamespace(file, exportNames) {
  let namespace = commonJsNamespaces.get(file);
  if (namespace) return namespace;
  const exports = Module._load(file, null, false);
  namespace = Object.create(null);
  for (const name of exportNames) {
    let value;
    if (name === 'default') value = exports;
    else if (exports !== null && exports !== undefined && Object.hasOwn(exports, name)) {
      try {
        value = exports[name];
      } catch {
        // a throwing getter is an undefined export, as in Node
      }
    }
    namespace[name] = value;
  }
  Object.defineProperty(namespace, Symbol.toStringTag, { value: 'Module' });
  Object.freeze(namespace);
  commonJsNamespaces.set(file, namespace);
  return namespace;
}

/**
 * Imports the adaptor installed in `root` with its resolution index when it has a usable one
 * (resolution.js), else as without; resolves to its namespace.
 */
async function importAdaptor(root, entry, log) {
  const index = useIndex(root, (why) => log?.warn?.(why));
  if (index) log?.debug?.(`Loading ${index.alias} with its resolution index (${index.entry} build)`);
  if (index?.entry === 'require' && entry.requirePath) return requireAsNamespace(entry.requirePath, index.exportNames);
  return (await importEntry(entry, log)).namespace;
}

/** Exports of a namespace as seen by the job, with the reference's CJS interop. */
function interopExports(namespace) {
  const keys = Object.keys(namespace);
  if (namespace.__esModule && namespace.default?.default) return namespace.default.default;
  if (keys.length === 1 && keys[0] === 'default' && namespace.default && typeof namespace.default === 'object'
      && Object.keys(namespace.default).length > 0) {
    return namespace.default;
  }
  return namespace;
}

function syntheticModule(target, context) {
  const names = Object.keys(target);
  return new vm.SyntheticModule(names, function init() {
    for (const name of names) this.setExport(name, target[name]);
  }, { context, identifier: 'kiln:adaptor' });
}

/**
 * A linker for one step: `modules` is the step linker {name: {path?, version?}}; `repo` the repo
 * folder; `whitelist` a list of RegExps (empty: everything allowed).
 */
function createLinker({ modules = {}, repo, whitelist = [], log }) {
  return async function link(specifier, context) {
    if (whitelist.length > 0 && !whitelist.some((re) => re.test(specifier))) {
      throw importError(`module blacklisted: ${specifier}`);
    }
    if (specifier === '@openfn/runtime') return syntheticModule(helpers, context);
    let entry;
    let root = null;
    if (path.isAbsolute(specifier) && specifier.endsWith('.js')) {
      entry = { path: specifier };
    } else {
      const { name, version: specVersion } = getNameAndVersion(specifier);
      const options = modules[specifier] ?? modules[name] ?? {};
      const version = options.version ?? specVersion;
      root = options.path ?? (repo ? getModulePath(name, version, repo) : null);
      if (!root) throw importError(`Failed to import module "${specifier}"`);
      try {
        entry = getModuleEntryPoint(root);
      } catch (e) {
        throw importError(`Failed to import module ${specifier} from ${root} (${e.message})`);
      }
    }
    let namespace;
    try {
      namespace = root ? await importAdaptor(root, entry, log) : (await importEntry(entry, log)).namespace;
    } catch (e) {
      throw importError(`Failed to import module ${specifier} from ${entry.path} (${e.message})`);
    }
    if (/^@openfn\/language-/.test(specifier) && log) {
      log.info(`Resolved adaptor ${specifier} to version ${entry.version}`);
    }
    return syntheticModule(interopExports(namespace), context);
  };
}

/**
 * Imports an installed adaptor (its folder) into this Node runtime's module map before the run is
 * known: a warm run process serves one run, so the run still gets instances nobody else used.
 */
async function preloadAdaptor(root) {
  await importAdaptor(root, getModuleEntryPoint(root));
}

/**
 * Loads the adaptor installed in `root` the way a run would, without any index, recording its
 * resolution index (the indexing process: AdaptorIndexMain). Resolves to the index object.
 */
function recordAdaptorIndex(root) {
  const entry = getModuleEntryPoint(root);
  return record(root, async () => {
    const { namespace, build } = await importEntry(entry);
    return { build, exportNames: Object.keys(namespace) };
  });
}

module.exports = {
  createLinker, preloadAdaptor, recordAdaptorIndex, parseRegex, getNameAndVersion, getAliasedName, getModulePath, getModuleEntryPoint, compareVersions,
};
