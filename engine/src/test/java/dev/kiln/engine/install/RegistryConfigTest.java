package dev.kiln.engine.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryConfigTest {
  @TempDir Path home;
  @TempDir Path prefix;
  @TempDir Path project;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void isolateFromTheMachine() {
    env.put("npm_config_prefix", prefix.toString());
  }

  private RegistryConfig load() {
    return RegistryConfig.load(project, env, home);
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  @Test
  void defaultsToNpmjs() {
    assertThat(load().registryFor("@openfn/language-common")).isEqualTo(URI.create("https://registry.npmjs.org/"));
  }

  @Test
  void laterSourcesWin() throws IOException {
    write(prefix.resolve("etc/npmrc"), "registry=https://global.example/\n@g:registry=https://g.example");
    write(home.resolve(".npmrc"), "registry = https://user.example/npm/\n");
    assertThat(load().registryFor("x")).isEqualTo(URI.create("https://user.example/npm/"));
    assertThat(load().registryFor("@g/x")).isEqualTo(URI.create("https://g.example/"));

    write(project.resolve("package.json"), "{}");
    write(project.resolve(".npmrc"), "registry=\"https://project.example\"");
    assertThat(load().registryFor("x")).isEqualTo(URI.create("https://project.example/"));

    env.put("NPM_CONFIG_REGISTRY", "http://127.0.0.1:4873");
    assertThat(load().registryFor("x")).isEqualTo(URI.create("http://127.0.0.1:4873/"));
  }

  @Test
  void findsTheProjectNpmrcInTheNearestPackageFolderUpwards() throws IOException {
    write(project.resolve("package.json"), "{}");
    write(project.resolve(".npmrc"), "registry=https://project.example/");
    Path deep = project.resolve("src/jobs");
    Files.createDirectories(deep);
    assertThat(RegistryConfig.load(deep, env, home).registryFor("x")).isEqualTo(URI.create("https://project.example/"));
  }

  @Test
  void scopedRegistriesApplyToTheirScopeOnly() throws IOException {
    write(home.resolve(".npmrc"), "@openfn:registry=https://openfn.example/\n; comment\n# comment\n");
    RegistryConfig config = load();
    assertThat(config.registryFor("@openfn/language-http")).isEqualTo(URI.create("https://openfn.example/"));
    assertThat(config.registryFor("@other/pkg")).isEqualTo(RegistryConfig.NPMJS);
    assertThat(config.registryFor("lodash")).isEqualTo(RegistryConfig.NPMJS);
  }

  @Test
  void userAndGlobalConfigPathsCanBeMovedByTheEnvironment() throws IOException {
    Path custom = home.resolve("elsewhere/rc");
    write(custom, "registry=https://custom.example/");
    env.put("npm_config_userconfig", custom.toString());
    assertThat(load().registryFor("x")).isEqualTo(URI.create("https://custom.example/"));
  }

  @Test
  void tokensGoToTheRegistryPathTheyAreFor() throws IOException {
    env.put("NPM_TOKEN", "t0ken");
    write(home.resolve(".npmrc"), String.join("\n",
        "registry=https://npm.example/npm/",
        "//npm.example/npm/:_authToken=${NPM_TOKEN}",
        "//other.example:8443/:_auth=dXNlcjpwYXNz",
        "//basic.example/:username=bob",
        "//basic.example/:_password=c2VjcmV0"));
    RegistryConfig config = load();
    assertThat(config.authorizationFor(URI.create("https://npm.example/npm/lodash"))).contains("Bearer t0ken");
    assertThat(config.authorizationFor(URI.create("https://npm.example/npm/lodash/-/lodash-4.17.21.tgz")))
        .contains("Bearer t0ken");
    assertThat(config.authorizationFor(URI.create("https://npm.example/other/lodash"))).isEmpty();
    assertThat(config.authorizationFor(URI.create("https://evil.example/npm/lodash"))).isEmpty();
    assertThat(config.authorizationFor(URI.create("https://other.example:8443/x"))).contains("Basic dXNlcjpwYXNz");
    assertThat(config.authorizationFor(URI.create("https://basic.example/x"))).contains("Basic Ym9iOnNlY3JldA==");
  }

  @Test
  void expandsEnvironmentReferencesLikeNpm() {
    Map<String, String> vars = Map.of("A", "1");
    Map<String, String> parsed = NpmrcFile.parse(String.join("\n",
        "set=${A}", "unset=${B}", "optional=${B?}", "escaped=\\${A}", "flag", "[section]", "list[]=x", " spaced = value "),
        vars);
    assertThat(parsed).containsEntry("set", "1")
        .containsEntry("unset", "${B}")
        .containsEntry("optional", "")
        .containsEntry("escaped", "${A}")
        .containsEntry("flag", "true")
        .containsEntry("spaced", "value")
        .doesNotContainKey("list[]");
  }

  @Test
  void globalPrefixFollowsTheNodeOnThePath() throws IOException {
    env.remove("npm_config_prefix");
    Path bin = prefix.resolve("bin");
    Files.createDirectories(bin);
    Path node = Files.createFile(bin.resolve("node"));
    node.toFile().setExecutable(true);
    env.put("PATH", bin.toString());
    write(prefix.resolve("etc/npmrc"), "registry=https://from-global.example/");
    assertThat(load().registryFor("x")).isEqualTo(URI.create("https://from-global.example/"));
  }
}
