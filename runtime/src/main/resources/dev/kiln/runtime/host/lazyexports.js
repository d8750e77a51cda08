// Lazy dependencies of an adaptor (README, "Lazy dependencies"): a require of another package
// answered with a stand-in for its exports that evaluates the package only when something uses
// them. The adaptor index (resolution.js) records the exports' shape when the adaptor is indexed:
// which kind of value, its own keys in order, which of them are enumerable, and `__esModule`.
// Until the first use the stand-in answers from that shape exactly what module-interop code asks
// (esbuild's __toESM/__copyProps, Babel's interop: keys, enumerability, prototype,
// `__esModule`); anything else evaluates the package through Node's own require and is then
// forwarded to the real exports.

/** The kinds of exports a stand-in can stand for, and the prototype each has. */
const KINDS = {
  object: Object.prototype,
  'null-object': null,
  function: Function.prototype,
};

/**
 * The shape of `exports` to record, or null when a stand-in could not answer for it faithfully
 * (another prototype, symbol keys, a non-extensible object, a function that cannot be `new`ed).
 */
function shapeOf(exports) {
  let kind;
  if (typeof exports === 'function') {
    const prototype = Object.getOwnPropertyDescriptor(exports, 'prototype');
    if (!prototype || prototype.configurable || !('value' in prototype)) return null; // arrow, async, bound, method
    kind = 'function';
  } else if (typeof exports === 'object' && exports !== null) {
    kind = Object.getPrototypeOf(exports) === null ? 'null-object' : 'object';
  } else {
    return null;
  }
  if (Object.getPrototypeOf(exports) !== KINDS[kind] || !Object.isExtensible(exports)) return null;
  const keys = Reflect.ownKeys(exports);
  if (keys.some((key) => typeof key !== 'string')) return null;
  const shape = { kind, keys, hidden: keys.filter((key) => !Object.getOwnPropertyDescriptor(exports, key).enumerable) };
  const esModule = Object.getOwnPropertyDescriptor(exports, '__esModule');
  if (esModule && typeof esModule.value === 'boolean') shape.esModule = esModule.value;
  return shape;
}

/** Whether `shape` is one shapeOf() could have made (it comes from an index file). */
function isShape(shape) {
  return typeof shape === 'object' && shape !== null && Object.hasOwn(KINDS, shape.kind)
    && Array.isArray(shape.keys) && shape.keys.every((key) => typeof key === 'string')
    && Array.isArray(shape.hidden) && shape.hidden.every((key) => shape.keys.includes(key))
    && (shape.esModule === undefined || typeof shape.esModule === 'boolean');
}

const evaluators = new WeakMap(); // stand-in → the function that evaluates its package

/** Evaluates the package a stand-in stands for now, as its first use would. */
function evaluate(standIn) {
  evaluators.get(standIn)?.();
}

/**
 * A stand-in for exports of `shape` that `load()` (Node's require of the package) evaluates at
 * the first use. Proxy invariants are checked against the proxy's target, so every property
 * the real exports have as non-configurable is copied onto the target before it is reported.
 */
function lazyExports(shape, load, name) {
  // a bound function is callable and constructible and, unlike a plain function, has no
  // non-configurable own property (`prototype`) the real exports might not have
  const target = shape.kind === 'function' ? function standIn() {}.bind(null) : Object.create(KINDS[shape.kind]);
  const keys = new Set(shape.keys);
  const hidden = new Set(shape.hidden);
  let real;
  const exports = () => {
    if (real === undefined) {
      const value = load();
      if ((typeof value !== 'object' && typeof value !== 'function') || value === null || typeof value !== typeof target) {
        throw new TypeError(`The exports of ${name} are not the kind of value they were when the adaptor was indexed`);
      }
      real = value;
    }
    return real;
  };
  const settle = (key, descriptor) => {
    if (descriptor && !descriptor.configurable) Reflect.defineProperty(target, key, descriptor);
    return descriptor;
  };
  const settleAll = () => {
    for (const key of Reflect.ownKeys(real)) Reflect.defineProperty(target, key, Reflect.getOwnPropertyDescriptor(real, key));
    Reflect.setPrototypeOf(target, Reflect.getPrototypeOf(real));
    Reflect.preventExtensions(target);
  };
  const recorded = (key) => real === undefined && typeof key === 'string' && keys.has(key);
  const proxy = new Proxy(target, {
    get(t, key, receiver) {
      // Babel's and TypeScript's interop ask this at the require: answered from the record, or
      // (not an own key) from the prototype, as the real exports would
      if (real === undefined && key === '__esModule' && (shape.esModule !== undefined || !keys.has(key))) {
        return shape.esModule ?? Reflect.get(KINDS[shape.kind] ?? {}, key);
      }
      const r = exports();
      return Reflect.get(r, key, receiver === proxy ? r : receiver);
    },
    set(t, key, value, receiver) {
      const r = exports();
      return Reflect.set(r, key, value, receiver === proxy ? r : receiver);
    },
    has(t, key) {
      return recorded(key) || Reflect.has(exports(), key);
    },
    ownKeys() {
      return real === undefined ? [...shape.keys] : Reflect.ownKeys(real);
    },
    getOwnPropertyDescriptor(t, key) {
      if (recorded(key)) {
        return {
          get: () => Reflect.get(exports(), key),
          set: (value) => { Reflect.set(exports(), key, value); },
          enumerable: !hidden.has(key),
          configurable: true,
        };
      }
      return settle(key, Reflect.getOwnPropertyDescriptor(exports(), key));
    },
    defineProperty(t, key, descriptor) {
      const r = exports();
      const done = Reflect.defineProperty(r, key, descriptor);
      if (done) settle(key, Reflect.getOwnPropertyDescriptor(r, key));
      return done;
    },
    deleteProperty(t, key) {
      const done = Reflect.deleteProperty(exports(), key);
      if (done) Reflect.deleteProperty(t, key);
      return done;
    },
    getPrototypeOf() {
      return real === undefined ? KINDS[shape.kind] : Reflect.getPrototypeOf(real);
    },
    setPrototypeOf(t, prototype) {
      return Reflect.setPrototypeOf(exports(), prototype);
    },
    isExtensible(t) {
      if (real !== undefined && !Reflect.isExtensible(real) && Reflect.isExtensible(t)) settleAll();
      return Reflect.isExtensible(t);
    },
    preventExtensions(t) {
      Reflect.preventExtensions(exports());
      settleAll();
      return true;
    },
    apply(t, thisArg, args) {
      return Reflect.apply(exports(), thisArg, args);
    },
    construct(t, args, newTarget) {
      const r = exports();
      return Reflect.construct(r, args, newTarget === proxy ? r : newTarget);
    },
  });
  evaluators.set(proxy, exports);
  return proxy;
}

module.exports = { shapeOf, isShape, lazyExports, evaluate };
