package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The stand-in for a lazily evaluated dependency's exports (host/lazyexports.js) against the real
 * exports it stands for: what module interop asks is answered without evaluating the package, and
 * after the evaluation every operation gives what it gives on the real exports.
 */
@Tag("integration")
class LazyExportsTest {
  /** Kinds of exports, each made fresh for every operation (operations change them). */
  private static final String SAMPLES = """
      const samples = {
        object: () => {
          const e = { add: (a, b) => a + b, n: 1 };
          Object.defineProperty(e, 'fixed', { value: 42, enumerable: true });
          Object.defineProperty(e, '__esModule', { value: true });
          return e;
        },
        nullObject: () => Object.assign(Object.create(null), { n: 1 }),
        sloppyFunction: () => {
          function tool(x) { return 'tool ' + x; }
          tool.n = 1;
          return tool;
        },
        class: () => class Counter { constructor(n) { this.n = n; } static make() { return 'made'; } },
      };
      const attempt = (f) => { try { return JSON.stringify(f()) ?? 'undefined'; } catch (e) { return 'throws ' + e.constructor.name; } };
      const { shapeOf, lazyExports } = hostRequire('lazyexports.js');
      """;

  @Test
  void whatModuleInteropAsksIsAnsweredWithoutEvaluatingThePackage() {
    JsonNode result = HostScripts.inFreshRuntime("""
        (() => {
          %s
          const asked = {
            names: (m) => Object.getOwnPropertyNames(m),
            enumerable: (m) => Object.getOwnPropertyNames(m).map((k) => Object.getOwnPropertyDescriptor(m, k).enumerable),
            prototype: (m) => [Object.prototype, Function.prototype, null].indexOf(Object.getPrototypeOf(m)),
            typeof: (m) => typeof m,
            esModule: (m) => m.__esModule,
            has: (m) => Object.getOwnPropertyNames(m).every((k) => k in m),
            // esbuild's __toESM(require(x), 1): a copy of the properties as getters, read later
            copied: (m) => {
              const copy = Object.create(Object.getPrototypeOf(m));
              for (const k of Object.getOwnPropertyNames(m)) {
                Object.defineProperty(copy, k, { get: () => m[k], enumerable: Object.getOwnPropertyDescriptor(m, k).enumerable });
              }
              return Object.keys(copy);
            },
          };
          const out = {};
          for (const [name, make] of Object.entries(samples)) {
            let evaluations = 0;
            const standIn = lazyExports(shapeOf(make()), () => { evaluations += 1; return make(); }, name);
            const differences = Object.entries(asked)
                .map(([op, f]) => [op, attempt(() => f(make())), attempt(() => f(standIn))])
                .filter(([, real, lazy]) => real !== lazy);
            out[name] = { evaluations, differences };
          }
          return out;
        })()""".formatted(SAMPLES));
    assertNoDifferences(result, false);
  }

  /** Every sample of {@code result} answered as its real exports, its package evaluated or not. */
  private static void assertNoDifferences(JsonNode result, boolean evaluated) {
    assertThat(result.properties()).hasSize(4);
    result.properties().forEach(e -> {
      assertThat(e.getValue().path("differences")).as(e.getKey()).isEmpty();
      assertThat(e.getValue().path("evaluations").asInt() > 0).as("%s evaluated", e.getKey()).isEqualTo(evaluated);
    });
  }

  @Test
  void afterTheFirstUseEveryOperationGivesWhatItGivesOnTheRealExports() {
    JsonNode result = HostScripts.inFreshRuntime("""
        (() => {
          %s
          const ops = {
            read: (m) => [m.n, m.fixed, m.add?.(1, 2), m.name, m.missing],
            call: (m) => m('x'),
            construct: (m) => new m(3),
            instanceOf: (m) => new m(1) instanceof m,
            staticMethod: (m) => m.make(),
            keys: (m) => Object.keys(m),
            names: (m) => Object.getOwnPropertyNames(m),
            json: (m) => m,
            tag: (m) => Object.prototype.toString.call(m),
            write: (m) => { m.added = 5; return [m.added, Object.keys(m)]; },
            define: (m) => { Object.defineProperty(m, 'locked', { value: 1 }); return Object.getOwnPropertyDescriptor(m, 'locked'); },
            fixedDescriptor: (m) => Object.getOwnPropertyDescriptor(m, 'fixed'),
            prototypeDescriptor: (m) => { const d = Object.getOwnPropertyDescriptor(m, 'prototype'); return d && [d.writable, d.configurable]; },
            redefineFixed: (m) => Object.defineProperty(m, 'fixed', { value: 1 }),
            delete: (m) => [delete m.n, 'n' in m],
            freeze: (m) => { Object.freeze(m); return [Object.isFrozen(m), Object.isExtensible(m), Object.getOwnPropertyNames(m)]; },
            writeFrozen: (m) => { 'use strict'; Object.freeze(m); m.n = 2; },
            sealThenDescribe: (m) => { Object.seal(m); return Object.getOwnPropertyNames(m).map((k) => Object.getOwnPropertyDescriptor(m, k).configurable); },
            setPrototype: (m) => { Object.setPrototypeOf(m, { inherited: 7 }); return m.inherited; },
          };
          const out = {};
          for (const [name, make] of Object.entries(samples)) {
            const differences = [];
            let evaluations = 0;
            for (const [op, f] of Object.entries(ops)) {
              const standIn = lazyExports(shapeOf(make()), () => { evaluations += 1; return make(); }, name);
              void standIn.toString; // the first use (before it, a descriptor is an accessor: README)
              const real = attempt(() => f(make()));
              const lazy = attempt(() => f(standIn));
              if (real !== lazy) differences.push([op, real, lazy]);
            }
            out[name] = { differences, evaluations };
          }
          return out;
        })()""".formatted(SAMPLES));
    assertNoDifferences(result, true);
  }

  @Test
  void exportsOfAnotherKindThanRecordedAreAnErrorNamingThePackage() {
    JsonNode result = HostScripts.inFreshRuntime("""
        (() => {
          const { shapeOf, lazyExports } = hostRequire('lazyexports.js');
          const standIn = lazyExports(shapeOf({ n: 1 }), () => 42, 'some-package');
          try { return standIn.n; } catch (e) { return e.message; }
        })()""");
    assertThat(result.asText()).isEqualTo(
        "The exports of some-package are not the kind of value they were when the adaptor was indexed");
  }

  @Test
  void exportsAStandInCannotAnswerForHaveNoShape() {
    JsonNode result = HostScripts.inFreshRuntime("""
        (() => {
          const { shapeOf } = hostRequire('lazyexports.js');
          return [
            { [Symbol.for('x')]: 1 }, Object.freeze({ n: 1 }), () => 1, async function f() {}, function f() {}.bind(null),
            Object.create({ inherited: 1 }), 42, 'text', null,
          ].map((e) => shapeOf(e));
        })()""");
    result.forEach(shape -> assertThat(shape.isNull()).as(shape.toString()).isTrue());
  }
}
