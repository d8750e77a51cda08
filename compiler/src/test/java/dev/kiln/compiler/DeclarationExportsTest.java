package dev.kiln.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Spec §5.10 ({@code getExports}) and §5.11 ({@code preloadAdaptorExports}). */
class DeclarationExportsTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          export const BigVal = 56;                                   | BigVal
          export function doSomething() {}                            | doSomething
          export class SomeClass {}                                   | SomeClass
          export const a = 1, b = 2;                                  | a,b
          const a = 1, b = 2;\\nexport { a, b };                      | a,b
          const a = 1;\\nexport { a as alpha };                       | alpha
          export const x = 1;\\nfunction y() {}\\nexport { y };\\nconst z = 3;\\nexport { z as zomething }; | x,y,zomething
          export { lightning, runtime as compiler } from './openfn'; | lightning,compiler
          export default function main() {}\\nexport const util = true; | util
          export declare function x(s: State): State;                 | x
          export * as http from './http';                             | http
          export interface State { a: string }                        | ''
          export type T = { export: 1 };                              | ''
          """)
  void getExportsVectors(String source, String expected) {
    assertThat(String.join(",", DeclarationExports.scan(source.replace("\\n", "\n")).names()))
        .isEqualTo(expected);
  }

  @Test
  void fixtureAdaptor() throws Exception {
    Path root = Path.of(getClass().getClassLoader().getResource("adaptor/package.json").toURI()).getParent();
    assertThat(AdaptorExports.fromPackage(root)).containsExactlyInAnyOrder("x", "y");
  }

  @Test
  void followsReExportsLikeLanguageCommon(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("types/util"));
    Files.writeString(dir.resolve("package.json"), "{\"name\":\"@openfn/language-x\",\"types\":\"types/index.d.ts\"}");
    Files.writeString(
        dir.resolve("types/index.d.ts"),
        """
        import * as Adaptor from './Adaptor';
        export default Adaptor;
        export * from './Adaptor';
        export * as http from './http';
        export * as util from './util';
        import * as metadata from './metadata';
        export { metadata };
        """);
    Files.writeString(
        dir.resolve("types/Adaptor.d.ts"),
        """
        /** @example export function notThis() */
        export function execute(...operations: Operations): Promise<any>;
        export function fn(func: Function): Operation;
        export function cursor(value: any, options?: {
            defaultUnit?: any;
        }): Operation;
        export { _ };
        import _ from 'lodash';
        """);
    Files.writeString(dir.resolve("types/http.d.ts"), "export function get(url: string): Operation;\n");
    Files.writeString(dir.resolve("types/util/index.d.ts"), "export function encode(s: string): string;\n");
    assertThat(AdaptorExports.fromPackage(dir))
        .containsExactlyInAnyOrder("execute", "fn", "cursor", "_", "http", "util", "metadata");
  }

  @Test
  void noTypesMeansNoList(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("package.json"), "{\"name\":\"x\"}");
    assertThat(AdaptorExports.fromPackage(dir)).isEqualTo(List.of());
  }
}
