package dev.kiln.compiler.transform;

import dev.kiln.compiler.AdaptorImports;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SequencedSet;
import java.util.Set;

/**
 * The add-imports transform (spec §2.5): which names to import from which adaptor, given the
 * module's free identifiers. With an exports list: the listed names the job uses, in list order;
 * without one: every free name that is not a JavaScript or Node global, in order of first use.
 *
 * <p>Fixed reference bugs: the globals filter matches whole names (the reference's regex anchors
 * only its first and last alternatives, so it dropped {@code processData}, {@code myArray}, ...);
 * a name is imported from the first adaptor that provides it only (no duplicate bindings).
 */
final class AddImports {
  /** Names that are globals in the job's sandbox: never imported in dumb mode. */
  static final Set<String> GLOBALS =
      Set.of(
          // the reference's list (add-imports.ts), with its misspelt AsyncFuction corrected
          "AggregateError", "Array", "ArrayBuffer", "AsyncFunction", "AsyncGenerator", "atob", "Atomics",
          "BigInt", "BigInt64Array", "BigUint64Array", "Blob", "Boolean", "btoa", "Buffer", "clearInterval",
          "clearTimeout", "console", "DataView", "Date", "decodeURI", "decodeURIComponent", "encodeURI",
          "encodeURIComponent", "Error", "eval", "EvalError", "Event", "exports", "FinalizationRegistry",
          "Float32Array", "Float64Array", "Function", "Generator", "global", "Infinity", "Int16Array",
          "Int32Array", "Int8Array", "isFinite", "isNaN", "JSON", "Map", "Math", "module", "Number", "Object",
          "parseFloat", "parseInt", "process", "Promise", "Proxy", "RangeError", "ReferenceError", "Reflect",
          "RegExp", "require", "Set", "setInterval", "setTimeout", "SharedArrayBuffer", "state", "String",
          "Symbol", "TypedArray", "Uint16Array", "Uint32Array", "Uint8Array", "Uint8ClampedArray", "URIError",
          "URL", "WeakMap", "WeakRef", "WeakSet",
          // skipped by name in findAllDanglingIdentifiers
          "undefined", "NaN",
          // further globals of the sandbox the reference's list misses
          "globalThis", "SyntaxError", "TypeError", "Intl", "WebAssembly", "fetch", "structuredClone",
          "queueMicrotask", "setImmediate", "clearImmediate", "TextEncoder", "TextDecoder", "AbortController",
          "AbortSignal", "URLSearchParams", "Headers", "Request", "Response", "FormData", "performance",
          "crypto");

  private AddImports() {}

  /** One import statement to emit. */
  record Import(String source, List<String> names, boolean exportAll) {}

  static List<Import> plan(List<AdaptorImports> adaptors, SequencedSet<String> freeNames, Set<String> ignored) {
    List<Import> imports = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    for (AdaptorImports adaptor : adaptors) {
      if (adaptor.name().isEmpty()) {
        continue;
      }
      List<String> used = new ArrayList<>();
      if (!adaptor.exports().isEmpty()) {
        for (String name : adaptor.exports()) {
          if (freeNames.contains(name) && !ignored.contains(name) && !taken.contains(name) && !used.contains(name)) {
            used.add(name);
          }
        }
      } else {
        for (String name : freeNames) {
          if (!ignored.contains(name) && !GLOBALS.contains(name) && !taken.contains(name)) {
            used.add(name);
          }
        }
      }
      if (!used.isEmpty()) {
        taken.addAll(used);
        imports.add(new Import(adaptor.name(), used, adaptor.exportAll()));
      }
    }
    return imports;
  }

  /** The import statements as the reference prints them (last adaptor first), one per line, each ending in a newline. */
  static String print(List<Import> imports) {
    StringBuilder out = new StringBuilder();
    for (Import i : imports.reversed()) { // the reference inserts each at the top: the last comes first
      String from = " from " + quote(i.source()) + ";";
      String oneLine = "import { " + String.join(", ", i.names()) + " }" + from;
      if (oneLine.length() > 74) {
        out.append("import {\n");
        for (String name : i.names()) {
          out.append("  ").append(name).append(",\n");
        }
        out.append('}').append(from).append('\n');
      } else {
        out.append(oneLine).append('\n');
      }
      if (i.exportAll()) {
        out.append("export * from ").append(quote(i.source())).append(";\n");
      }
    }
    return out.toString();
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
