package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The only Java the run process' JS can reach is the bridge's four bound functions, and only the
 * host scripts hold it. Even with the bridge in hand (as here: the test puts it on the global),
 * no Java object, class or reflection comes out of it.
 */
@Tag("integration")
class JavaBridgeTest {
  private static HostScripts host;

  @BeforeAll
  static void start() throws Exception {
    host = new HostScripts();
  }

  @AfterAll
  static void stop() throws Exception {
    host.close();
  }

  @Test
  void theBridgeIsFourFunctionsAndNothingElse() throws Exception {
    assertThat(host.eval("Object.getOwnPropertyNames(bridge).sort()"))
        .isEqualTo("[\"log\",\"resource\",\"stderr\",\"stepDone\"]");
    assertThat(host.eval("[typeof bridge.getClass, typeof bridge.log.getClass, typeof bridge.constructor.forName]"))
        .isEqualTo("[\"undefined\",\"undefined\",\"undefined\"]");
    assertThat(host.eval("Object.getPrototypeOf(bridge) === Object.prototype")).isEqualTo("true");
  }

  @Test
  void noJavaComesBackFromTheBoundFunctions() throws Exception {
    assertThat(host.eval("[bridge.log('info', 'JOB', '[]', '1'), bridge.stderr('')]")).isEqualTo("[null,null]");
    assertThat(host.eval("typeof bridge.resource('host.js')")).isEqualTo("\"string\"");
    // objects passed in are converted, never proxied back as Java objects
    assertThat(host.eval("(() => { try { return typeof bridge.stderr({ getClass() { return 1; } }); } "
        + "catch (e) { return 'refused'; } })()")).isIn("\"undefined\"", "\"refused\"");
  }

  @Test
  void resourceReadsOnlyHostScripts() throws Exception {
    for (String name : new String[] {"../../../../META-INF/MANIFEST.MF", "/etc/passwd", "../RunProcessMain.class",
        "host.js/../../NodeHost.class", "java.lang.Runtime"}) {
      assertThat(host.eval("bridge.resource(" + RunFrames.JSON.writeValueAsString(name) + ")"))
          .as(name).startsWith("THROWN");
    }
  }

  @Test
  void noJavaOnTheGlobalObject() throws Exception {
    assertThat(host.eval("[typeof Java, typeof Packages, typeof javet, typeof java, typeof __javet]"))
        .isEqualTo("[\"undefined\",\"undefined\",\"undefined\",\"undefined\",\"undefined\"]");
    assertThat(host.eval("Object.getOwnPropertyNames(globalThis).filter(n => /javet|^java$|packages/i.test(n))"))
        .isEqualTo("[]");
  }
}
