package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.protocol.Frame;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A job that logs its credentials in five ways: no frame leaving the run carries them. */
@Tag("integration")
class SecretsInFramesTest {
  static final String JOB = """
      export default [s => {
        const c = s.configuration;
        console.log(c.password);
        console.log({ nested: { pw: c.password, user: c.username } });
        console.log('basic ' + Buffer.from(c.username + ':' + c.password).toString('base64'));
        console.log('concatenated:' + c.password + ':' + c.apiKey + '!');
        s.data.kept = 'ok';
        return s;
      }, s => { throw new Error('bad key ' + s.configuration.apiKey); }]
      """;

  @Test
  void noFrameCarriesASecret() {
    ObjectNode meta = (ObjectNode) RunFrames.lenient("{options: {compile: false}, credentials: {'cred-1': "
        + "{username: 'admin-user', password: 'pa55-w0rd', apiKey: 'key-123456'}}}");
    meta.set("plan", RunFrames.lenient("{workflow: {steps: [{id: 'leaky', configuration: 'cred-1'}]}}"));
    ((ObjectNode) meta.path("plan").path("workflow").path("steps").get(0)).put("expression", JOB);
    RunFrames run = InJvmRuns.runMeta(meta, null, StepCompiler.PRECOMPILED);

    String everything = run.frames().stream().map(f -> f.metaJson() + new String(f.body(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("\n"));
    String basic = Base64.getEncoder().encodeToString("admin-user:pa55-w0rd".getBytes(StandardCharsets.UTF_8));
    assertThat(everything).doesNotContain("pa55-w0rd").doesNotContain("key-123456").doesNotContain("admin-user")
        .doesNotContain(basic.replace("=", ""));
    assertThat(run.logLines()).anyMatch(l -> l.contains("concatenated:****:****!"));
    assertThat(run.logLines()).anyMatch(l -> l.contains("bad key ****"));
    assertThat(run.finalState().path("errors").path("leaky").path("message").asText()).contains("bad key ****");
    assertThat(run.finalState().has("configuration")).isFalse();
    assertThat(run.frames()).extracting(Frame::type).contains("step-error");
  }
}
