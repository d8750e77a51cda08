// Evaluated by NodeHost as a plain script in the Node runtime's main realm. Its completion value is
// a function that takes the Java bridge and returns `load(name)`, a loader of the host files, which
// are CommonJS modules read from the classpath through the bridge (NodeHost then calls
// load('host.js').createHost(bridge)). None of them is visible to job code.
(function bootstrap(bridge) {
  const vm = require('node:vm');
  const modules = new Map();
  function load(name) {
    const cached = modules.get(name);
    if (cached) return cached.exports;
    const module = { exports: {} };
    modules.set(name, module);
    const body = vm.compileFunction(bridge.resource(name), ['exports', 'require', 'module'], {
      filename: `kiln-host:${name}`,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    body(module.exports, (id) => (id.startsWith('./') ? load(id.slice(2)) : require(id)), module);
    return module.exports;
  }
  return load;
});
