package dev.kiln.compiler.scope;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.compiler.parse.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Spec §5.4 {@code findAllDanglingIdentifiers}: the free names of a module, in first-use order. */
class ScopeAnalysisTest {

  static String free(String source) {
    return String.join(",", ScopeAnalysis.of(Parser.parseModule(source.replace("\\n", "\n"))).freeNames());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          x;                                   | x
          x();                                 | x
          x = x;                               | x
          x = y;                               | x,y
          x;y();                               | x,y
          x.y;                                 | x
          x.y.z;                               | x
          x.y();                               | x
          x().y;                               | x
          x.y().z;                             | x
          x.y.z();                             | x
          const x = 1;                         | ~~
          let x = 1, y = 2;                    | ~~
          const { x } = obj;                   | obj
          const x = { a: 10 };                 | ~~
          const a = {}; const x = { ...a };    | ~~
          export default (a) => a;             | ~~
          export default () => a;              | a
          function f(a) { a; };                | ~~
          import { fn } from "fn"; fn;         | ~~
          import * as fn from "fn"; fn;        | ~~
          const x = undefined;                 | undefined
          const x = true && false && null && NaN; | NaN
          fn((a) => {\\n const x = 1;\\n a;\\n const f = () => {\\n x;\\n a;\\n z; // dangling\\n };\\n })  | fn,z
          """)
  void referenceVectors(String source, String expected) {
    // undefined and NaN are reported here and filtered as globals by add-imports (the reference skips them by name)
    assertThat(free(source)).isEqualTo(expected);
  }

  /** Where Kiln's scope analysis is right and the reference's was not. */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          const x = { a };                     | a
          const x = { a: b };                  | b
          data[key];                           | data,key
          lbl: for (;;) { break lbl; }         | ~~
          class A { m() { return A; } }        | ~~
          (class B { m() { return B; } });     | ~~
          function f() { return arguments; }   | ~~
          const y = 1; export { y as z };      | ~~
          import.meta.url;                     | ~~
          { let a = 1; } a;                    | a
          try {} catch (e) { e; } e;           | e
          if (x) { function g() {} } g();      | x,g
          var v; { var w; } v; w;              | ~~
          for (const k of ks) { k; } k;        | ks,k
          ({ [k]: v } = o);                    | k,v,o
          const { a: { b = c } } = d;          | c,d
          """)
  void fixesTheReferencesScopeBugs(String source, String expected) {
    // reference: shorthand and same-name values, computed members, labels, class expression and
    // method names, arguments, export aliases, import.meta and block-scoped names were wrong
    assertThat(free(source)).isEqualTo(expected);
  }

  @Test
  void bigObjectAndCallback() {
    // reference: { fn, foo } (it skipped the top-level object, so bank was missed)
    String source =
        "\nconst bigObj = {name: \"ignore-me\", age: bank};\nfn(state=> {\n    const update = {\n      name: \"pick-me\",\n      age: foo\n    }\n    return update\n})\n    ";
    assertThat(free(source)).isEqualTo("bank,fn,foo");
  }
}
