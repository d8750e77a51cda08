package dev.kiln.engine.install;

import dev.kiln.runtime.FolderTree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The installer against a local test registry: layout, hoisting, errors, caches. */
@Tag("integration") // starts an HTTP server
class AdaptorInstallerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path repo;
  @TempDir Path cache;
  private TestRegistry registry;

  @BeforeEach
  void startRegistry() throws IOException {
    registry = TestRegistry.start();
  }

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  private AdaptorInstaller installer() {
    return new AdaptorInstaller(repo, registry.config(), cache, null);
  }

  private String versionAt(String relative) throws IOException {
    return JSON.readTree(repo.resolve(relative).resolve("package.json").toFile()).path("version").asText();
  }

  @Test
  void installsUnderTheAliasAndHoistsDependencies() throws Exception {
    registry.publish("@scope/adaptor", "1.2.0").dependency("lib", "^1.0.0").devDependency("devtool", "^1").done();
    registry.publish("lib", "1.0.0").done();
    registry.publish("lib", "1.4.0").dependency("leaf", "~2.1.0").done();
    registry.publish("leaf", "2.1.7").done();
    registry.publish("leaf", "2.2.0").done();

    InstalledPackage installed = installer().install("@scope/adaptor@1.2.0");

    assertThat(installed).isEqualTo(new InstalledPackage("@scope/adaptor", "1.2.0",
        repo.resolve("node_modules/@scope/adaptor_1.2.0")));
    assertThat(versionAt("node_modules/@scope/adaptor_1.2.0")).isEqualTo("1.2.0");
    assertThat(versionAt("node_modules/lib")).isEqualTo("1.4.0");
    assertThat(versionAt("node_modules/leaf")).isEqualTo("2.1.7");
    assertThat(repo.resolve("node_modules/devtool")).doesNotExist();
    assertThat(registry.packumentHits("devtool")).isZero();
    JsonNode pkg = JSON.readTree(repo.resolve("package.json").toFile());
    assertThat(pkg.path("dependencies").path("@scope/adaptor_1.2.0").asText()).isEqualTo("npm:@scope/adaptor@1.2.0");
    assertThat(pkg.path("private").asBoolean()).isTrue();
    assertThat(Files.readString(repo.resolve("package.json"))).contains("\"dependencies\": {\n    \"@scope/adaptor_1.2.0\"");
    assertThat(Files.list(repo).map(p -> p.getFileName().toString()))
        .noneMatch(n -> n.startsWith(PackageTreeWriter.STAGING_PREFIX));
  }

  @Test
  void nestsAConflictingVersionUnderItsDependent() throws Exception {
    registry.publish("app", "1.0.0").dependency("shared", "^1.0.0").dependency("other", "1.0.0").done();
    registry.publish("other", "1.0.0").dependency("shared", "^2.0.0").done();
    registry.publish("shared", "1.5.0").done();
    registry.publish("shared", "2.3.0").done();

    installer().install("app@1.0.0");

    assertThat(versionAt("node_modules/shared")).isEqualTo("1.5.0");
    assertThat(versionAt("node_modules/other")).isEqualTo("1.0.0");
    assertThat(versionAt("node_modules/other/node_modules/shared")).isEqualTo("2.3.0");
    assertThat(repo.resolve("node_modules/app_1.0.0/node_modules")).doesNotExist();
  }

  @Test
  void aSecondAdaptorReusesCompatibleHoistedPackagesAndNestsConflictingOnes() throws Exception {
    registry.publish("a", "1.0.0").dependency("shared", "^1.0.0").done();
    registry.publish("b", "1.0.0").dependency("shared", "^1.1.0").dependency("pinned", "1.0.0").done();
    registry.publish("c", "1.0.0").dependency("pinned", "2.0.0").done();
    registry.publish("shared", "1.2.0").done();
    registry.publish("pinned", "1.0.0").done();
    registry.publish("pinned", "2.0.0").done();
    AdaptorInstaller installer = installer();
    installer.install("a@1.0.0");
    installer.install("b@1.0.0");
    int tarballsBefore = registry.tarballHits();

    installer.install("c@1.0.0");

    assertThat(versionAt("node_modules/pinned")).isEqualTo("1.0.0");
    assertThat(versionAt("node_modules/c_1.0.0/node_modules/pinned")).isEqualTo("2.0.0");
    assertThat(registry.tarballHits() - tarballsBefore).isEqualTo(2); // c and pinned@2 only
    assertThat(installer.isInstalled("a", "1.0.0")).isTrue();
    assertThat(installer.isInstalled("b", "1.0.0")).isTrue();
    assertThat(registry.hits("/tarballs/shared-1.2.0.tgz")).isEqualTo(1);
  }

  @Test
  void anAdaptorDependingOnAnotherVersionOfItselfGetsTheRealNameHoisted() throws Exception {
    registry.publish("@openfn/language-common", "1.0.0").done();
    registry.publish("@openfn/language-common", "2.0.0").done();
    registry.publish("@openfn/language-http", "5.0.0").dependency("@openfn/language-common", "1.0.0").done();
    AdaptorInstaller installer = installer();

    installer.install("@openfn/language-common@2.0.0");
    installer.install("@openfn/language-http@5.0.0");

    assertThat(versionAt("node_modules/@openfn/language-common_2.0.0")).isEqualTo("2.0.0");
    assertThat(versionAt("node_modules/@openfn/language-common")).isEqualTo("1.0.0");
    assertThat(installer.latestInstalledVersion("@openfn/language-common")).contains("2.0.0");
  }

  @Test
  void fetchesEachPackumentOncePerInstallAndEachTarballOncePerCache() throws Exception {
    registry.publish("root", "1.0.0").dependency("x", "^1").dependency("y", "^1").done();
    registry.publish("x", "1.0.0").dependency("z", "^1.0.0").done();
    registry.publish("y", "1.0.0").dependency("z", "^2.0.0").done();
    registry.publish("z", "1.0.0").done();
    registry.publish("z", "2.0.0").done();

    installer().install("root@1.0.0");

    assertThat(registry.packumentHits("z")).isEqualTo(1);
    assertThat(registry.tarballHits()).isEqualTo(5);
    Path otherRepo = repo.resolve("other");
    new AdaptorInstaller(otherRepo, registry.config(), cache, null).install("root@1.0.0");
    assertThat(registry.tarballHits()).isEqualTo(5); // all from the disk cache
    assertThat(otherRepo.resolve("node_modules/y/node_modules/z/package.json")).exists();
  }

  @Test
  void anInstalledExactVersionNeedsNoRegistry() throws Exception {
    registry.publish("solo", "1.0.0").done();
    AdaptorInstaller installer = installer();
    installer.install("solo@1.0.0");
    registry.failWith(500);

    assertThat(installer.install("solo@1.0.0").root()).isEqualTo(repo.resolve("node_modules/solo_1.0.0"));
  }

  @Test
  void resolvesDistTagsAndRanges() throws Exception {
    registry.publish("tagged", "1.0.0").done();
    registry.publish("tagged", "1.1.0").done();
    registry.publish("tagged", "2.0.0-beta.1").done();
    registry.tag("tagged", "next", "2.0.0-beta.1");
    AdaptorInstaller installer = installer();

    assertThat(installer.resolve("tagged@latest")).isEqualTo(new ResolvedPackage("tagged", "1.1.0"));
    assertThat(installer.resolve("tagged")).isEqualTo(new ResolvedPackage("tagged", "1.1.0"));
    assertThat(installer.resolve("tagged@next").version()).isEqualTo("2.0.0-beta.1");
    assertThat(installer.resolve("tagged@~1.0").version()).isEqualTo("1.0.0");
    assertThat(installer.install("tagged@next").root()).isEqualTo(repo.resolve("node_modules/tagged_2.0.0-beta.1"));
    assertThat(installer.isInstalled("tagged", "2.0.0-beta.1")).isTrue();
  }

  @Test
  void installsPeersAndSkipsOptionalDependenciesThatCannotBeInstalled() throws Exception {
    registry.publish("host", "1.0.0")
        .peerDependency("peer", "^1.0.0")
        .optionalDependency("missing-optional", "^1.0.0")
        .optionalDependency("mac-only", "^1.0.0")
        .done();
    registry.publish("peer", "1.0.0").done();
    registry.publish("mac-only", "1.0.0").os("darwin").done();

    installer().install("host@1.0.0");

    assertThat(versionAt("node_modules/peer")).isEqualTo("1.0.0");
    assertThat(repo.resolve("node_modules/missing-optional")).doesNotExist();
    assertThat(repo.resolve("node_modules/mac-only")).doesNotExist();
  }

  @Test
  void dependencyCyclesEnd() throws Exception {
    registry.publish("cyclic", "1.0.0").dependency("ping", "^1").done();
    registry.publish("ping", "1.0.0").dependency("pong", "^1").done();
    registry.publish("pong", "1.0.0").dependency("ping", "^1").dependency("cyclic", "^1").done();

    installer().install("cyclic@1.0.0");

    assertThat(versionAt("node_modules/ping")).isEqualTo("1.0.0");
    assertThat(versionAt("node_modules/pong")).isEqualTo("1.0.0");
    assertThat(versionAt("node_modules/cyclic")).isEqualTo("1.0.0"); // the real name, next to the alias
    assertThat(registry.tarballHits()).isEqualTo(3);
  }

  @Test
  void bundledDependenciesComeFromTheTarball() throws Exception {
    registry.publish("bundler", "1.0.0").bundledDependency("inside", "4.5.6").done();

    installer().install("bundler@1.0.0");

    assertThat(versionAt("node_modules/bundler_1.0.0/node_modules/inside")).isEqualTo("4.5.6");
    assertThat(repo.resolve("node_modules/inside")).doesNotExist();
    assertThat(registry.packumentHits("inside")).isZero();
  }

  @Test
  void installsNpmAliasDependencies() throws Exception {
    registry.publish("uses-alias", "1.0.0").dependency("renamed", "npm:real@^1.0.0").done();
    registry.publish("real", "1.3.0").done();

    installer().install("uses-alias@1.0.0");

    JsonNode pkg = JSON.readTree(repo.resolve("node_modules/renamed/package.json").toFile());
    assertThat(pkg.path("name").asText()).isEqualTo("real");
    assertThat(pkg.path("version").asText()).isEqualTo("1.3.0");
  }

  @Test
  void repairsMissingDependenciesOfPackagesAlreadyInTheRepo() throws Exception {
    registry.publish("first", "1.0.0").dependency("middle", "^1").done();
    registry.publish("second", "1.0.0").dependency("middle", "^1").done();
    registry.publish("middle", "1.0.0").dependency("bottom", "^1").done();
    registry.publish("bottom", "1.0.0").done();
    AdaptorInstaller installer = installer();
    installer.install("first@1.0.0");
    FolderTree.delete(repo.resolve("node_modules/bottom")); // as if a crash lost it

    installer.install("second@1.0.0");

    assertThat(versionAt("node_modules/bottom")).isEqualTo("1.0.0");
  }

  @Test
  void aFolderWithoutItsAliasEntryIsNotInstalled() throws Exception {
    registry.publish("half", "1.0.0").done();
    Files.createDirectories(repo.resolve("node_modules/half_1.0.0"));
    Files.writeString(repo.resolve("node_modules/half_1.0.0/stale.txt"), "left by a crash");
    AdaptorInstaller installer = installer();
    assertThat(installer.isInstalled("half", "1.0.0")).isFalse();

    installer.install("half@1.0.0");

    assertThat(installer.isInstalled("half", "1.0.0")).isTrue();
    assertThat(repo.resolve("node_modules/half_1.0.0/stale.txt")).doesNotExist();
  }

  @Test
  void latestInstalledVersionComparesAsSemverNotAsStrings() throws Exception {
    registry.publish("multi", "9.0.0").done();
    registry.publish("multi", "10.0.0").done();
    registry.publish("multi-extra", "11.0.0").done();
    AdaptorInstaller installer = installer();
    assertThat(installer.latestInstalledVersion("multi")).isEmpty();
    installer.install("multi@9.0.0");
    installer.install("multi@10.0.0");
    installer.install("multi-extra@11.0.0");

    assertThat(installer.latestInstalledVersion("multi")).contains("10.0.0");
  }

  @Test
  void keepsAnExistingRepoPackageJson() throws Exception {
    registry.publish("solo", "1.0.0").done();
    Files.createDirectories(repo);
    Files.writeString(repo.resolve("package.json"),
        "{\"name\":\"my-repo\",\"custom\":[1,2],\"dependencies\":{\"zzz_1.0.0\":\"npm:zzz@1.0.0\"}}");

    installer().install("solo@1.0.0");

    JsonNode pkg = JSON.readTree(repo.resolve("package.json").toFile());
    assertThat(pkg.path("name").asText()).isEqualTo("my-repo");
    assertThat(pkg.path("custom")).hasSize(2);
    assertThat(pkg.path("dependencies").fieldNames()).toIterable().containsExactly("solo_1.0.0", "zzz_1.0.0");
  }

  @Test
  void sendsTheConfiguredTokenToTheRegistry() throws Exception {
    registry.publish("private-pkg", "1.0.0").done();
    String nerf = "//127.0.0.1:" + registry.url().getPort() + "/";
    RegistryConfig config = RegistryConfig.fromSettings(Map.of(
        "registry", registry.url().toString(), nerf + ":_authToken", "s3cret"));

    new AdaptorInstaller(repo, config, cache, null).install("private-pkg@1.0.0");

    assertThat(registry.authorizations).isNotEmpty().allMatch("Bearer s3cret"::equals);
  }

  @Test
  void followsRedirectsAndSendsTokensOnlyWhereConfigured() throws Exception {
    registry.publish("moved", "1.0.0").tarballMoved().done();
    String nerf = "//127.0.0.1:" + registry.url().getPort() + "/tarballs/";
    RegistryConfig config = RegistryConfig.fromSettings(Map.of(
        "registry", registry.url().toString(), nerf + ":_authToken", "only-for-tarballs"));

    new AdaptorInstaller(repo, config, cache, null).install("moved@1.0.0");

    assertThat(versionAt("node_modules/moved_1.0.0")).isEqualTo("1.0.0");
    assertThat(registry.hits("/moved/tarballs/moved-1.0.0.tgz")).isEqualTo(1);
    assertThat(registry.authorizations).containsExactly("Bearer only-for-tarballs"); // the redirected hop only
  }

  @Test
  void unknownPackageNamesTheRegistryAndTheFix() {
    assertThatThrownBy(() -> installer().install("@openfn/language-nope@1.0.0"))
        .isInstanceOf(AdaptorInstallException.class)
        .hasMessageContaining("@openfn/language-nope was not found in the registry " + registry.url())
        .hasMessageContaining("HTTP 404")
        .hasMessageContaining("typos");
  }

  @Test
  void unknownVersionListsTheLatestOnes() {
    for (String v : new String[] {"1.0.0", "1.1.0", "1.2.0", "2.0.0", "2.1.0", "3.0.0"}) {
      registry.publish("pkg", v).done();
    }
    assertThatThrownBy(() -> installer().install("pkg@9.9.9"))
        .isInstanceOf(AdaptorInstallException.class)
        .hasMessageContaining("Version 9.9.9 of pkg is not published")
        .hasMessageContaining("Latest versions: 3.0.0, 2.1.0, 2.0.0, 1.2.0, 1.1.0, …")
        .hasMessageContaining("latest=3.0.0");
  }

  @Test
  void missingDependencyNamesItsDependent() {
    registry.publish("needy", "1.0.0").dependency("ghost", "^1.0.0").done();
    assertThatThrownBy(() -> installer().install("needy@1.0.0"))
        .hasMessageContaining("Package ghost was not found")
        .hasMessageContaining("(needed by needy@1.0.0)");
    assertThat(installer().isInstalled("needy", "1.0.0")).isFalse();
  }

  @Test
  void integrityMismatchIsRefused() {
    registry.publish("tampered", "1.0.0")
        .integrity(TestRegistry.sha512("something else".getBytes()))
        .done();
    assertThatThrownBy(() -> installer().install("tampered@1.0.0"))
        .isInstanceOf(AdaptorInstallException.class)
        .hasMessageContaining("Integrity check failed for tampered@1.0.0")
        .hasMessageContaining("tampered with");
    assertThat(repo.resolve("node_modules/tampered_1.0.0")).doesNotExist();
    assertThat(cache).isEmptyDirectory();
  }

  @Test
  void unreachableRegistryIsNamed() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/");
    AdaptorInstaller installer = new AdaptorInstaller(repo, RegistryConfig.of(nowhere), cache, null);

    assertThatThrownBy(() -> installer.install("anything@1.0.0"))
        .isInstanceOf(AdaptorInstallException.class)
        .hasMessageContaining("Could not reach the npm registry " + nowhere)
        .hasMessageContaining("npm_config_registry");
  }

  @Test
  void aStalledResponseEndsAtItsDeadline() {
    registry.publish("slow", "1.0.0").done();
    registry.stallPackument("slow");
    RegistryClient client = new RegistryClient(registry.config(), cache, Duration.ofMillis(300), Duration.ofMillis(300));
    AdaptorInstaller installer = new AdaptorInstaller(repo, client, null);

    assertThatThrownBy(() -> installer.install("slow@1.0.0"))
        .isInstanceOf(AdaptorInstallException.class)
        .hasMessageContaining("Could not reach the npm registry " + registry.url() + " to fetch slow (3 attempts")
        .hasMessageContaining("no complete answer within");
    assertThat(registry.packumentHits("slow")).isEqualTo(3);
  }

  @Test
  void localVersionsComeFromTheMonorepo(@TempDir Path monorepo) throws Exception {
    Path common = monorepo.resolve("packages/common");
    Files.createDirectories(common);
    Files.writeString(common.resolve("package.json"), "{\"name\":\"@openfn/language-common\",\"version\":\"9.9.9\"}");
    AdaptorInstaller installer = new AdaptorInstaller(repo, registry.config(), cache, monorepo);

    assertThat(installer.install("@openfn/language-common@local"))
        .isEqualTo(new InstalledPackage("@openfn/language-common", "local", common.toAbsolutePath()));
    assertThat(installer.isInstalled("@openfn/language-common", "local")).isTrue();
    assertThatThrownBy(() -> installer.install("@openfn/language-http@local"))
        .hasMessageContaining(monorepo.resolve("packages/http").toAbsolutePath() + " has no package.json");
    assertThatThrownBy(() -> installer().install("@openfn/language-common@local"))
        .hasMessageContaining("OPENFN_ADAPTORS_REPO");
    assertThat(registry.tarballHits()).isZero();
  }

  @Test
  void rejectsInvalidNames() {
    assertThatThrownBy(() -> installer().install("../../etc@1.0.0"))
        .isInstanceOf(AdaptorInstallException.class)
        .hasMessageContaining("Invalid package name \"../../etc\"");
  }
}
