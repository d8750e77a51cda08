package dev.kiln.engine.install;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where packages come from, read from the usual npm settings. Later sources win: npm's default
 * {@code https://registry.npmjs.org/}, the global {@code $PREFIX/etc/npmrc}, the user {@code
 * ~/.npmrc}, the project {@code .npmrc} (in the nearest folder upwards from the working
 * directory that has a {@code package.json} or {@code node_modules}), then {@code npm_config_*}
 * environment variables (any case). Understood keys: {@code registry}, {@code @scope:registry},
 * and per-registry credentials {@code //host/path/:_authToken}, {@code :_auth}, {@code
 * :username} + {@code :_password}; other keys are ignored.
 */
public final class RegistryConfig {
  public static final URI NPMJS = URI.create("https://registry.npmjs.org/");

  private final URI registry;
  private final Map<String, URI> scopeRegistries;
  private final Map<String, String> settings;

  private RegistryConfig(URI registry, Map<String, URI> scopeRegistries, Map<String, String> settings) {
    this.registry = registry;
    this.scopeRegistries = Map.copyOf(scopeRegistries);
    this.settings = Map.copyOf(settings);
  }

  /** The configuration npm would use when run from this process' working directory. */
  public static RegistryConfig fromEnvironment() {
    return load(
        Path.of("").toAbsolutePath(), System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** A single registry for every package, without credentials (tests, explicit settings). */
  public static RegistryConfig of(URI registry) {
    return fromSettings(Map.of("registry", registry.toString()));
  }

  static RegistryConfig load(Path workingDir, Map<String, String> env, Path home) {
    Map<String, String> fromEnv = npmEnvironment(env);
    Map<String, String> merged = new HashMap<>();
    Path user = Path.of(fromEnv.getOrDefault("userconfig", home.resolve(".npmrc").toString()));
    Map<String, String> userSettings = NpmrcFile.read(user, env);
    Path global =
        fromEnv.containsKey("globalconfig")
            ? Path.of(fromEnv.get("globalconfig"))
            : globalPrefix(env, fromEnv, userSettings).resolve("etc").resolve("npmrc");
    merged.putAll(NpmrcFile.read(global, env));
    merged.putAll(userSettings);
    merged.putAll(NpmrcFile.read(projectDir(workingDir).resolve(".npmrc"), env));
    merged.putAll(fromEnv);
    return fromSettings(merged);
  }

  static RegistryConfig fromSettings(Map<String, String> settings) {
    URI registry = NPMJS;
    Map<String, URI> scopes = new HashMap<>();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey();
      if (key.equals("registry")) {
        registry = registryUri(e.getValue());
      } else if (key.startsWith("@") && key.endsWith(":registry")) {
        scopes.put(key.substring(0, key.length() - ":registry".length()), registryUri(e.getValue()));
      }
    }
    return new RegistryConfig(registry, scopes, settings);
  }

  /** The registry a package's metadata is fetched from (its scope's registry, else the default). */
  public URI registryFor(String packageName) {
    if (packageName.startsWith("@")) {
      int slash = packageName.indexOf('/');
      URI scoped = slash > 0 ? scopeRegistries.get(packageName.substring(0, slash)) : null;
      if (scoped != null) {
        return scoped;
      }
    }
    return registry;
  }

  /**
   * The {@code Authorization} header value for a request to {@code url}, from the credentials
   * whose registry path ("nerf dart", {@code //host/path/}) is the longest prefix of the url.
   */
  Optional<String> authorizationFor(URI url) {
    for (String nerf : nerfDarts(url)) {
      String token = settings.get(nerf + ":_authToken");
      if (token != null && !token.isBlank()) {
        return Optional.of("Bearer " + token);
      }
      String basic = settings.get(nerf + ":_auth");
      if (basic != null && !basic.isBlank()) {
        return Optional.of("Basic " + basic);
      }
      String user = settings.get(nerf + ":username");
      String password = settings.get(nerf + ":_password");
      if (user != null && password != null) {
        String decoded = new String(Base64.getDecoder().decode(password.strip()));
        return Optional.of(
            "Basic " + Base64.getEncoder().encodeToString((user + ":" + decoded).getBytes()));
      }
    }
    return Optional.empty();
  }

  /** {@code https://host:8443/a/b/c.tgz} → {@code //host:8443/a/b/}, {@code //host:8443/a/}, {@code //host:8443/}. */
  private static List<String> nerfDarts(URI url) {
    List<String> out = new ArrayList<>();
    String hostPart = "//" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    path = path.substring(0, path.lastIndexOf('/') + 1);
    while (!path.isEmpty()) {
      out.add(hostPart + path);
      int previous = path.lastIndexOf('/', path.length() - 2);
      path = previous < 0 ? "" : path.substring(0, previous + 1);
    }
    return out;
  }

  private static URI registryUri(String value) {
    String v = value.strip();
    return URI.create(v.endsWith("/") ? v : v + "/");
  }

  /** {@code npm_config_foo_bar} (any case) → {@code foo-bar}, as npm reads its environment. */
  private static Map<String, String> npmEnvironment(Map<String, String> env) {
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (name.length() > 11 && name.substring(0, 11).equalsIgnoreCase("npm_config_")) {
        String key = name.substring(11);
        key = key.charAt(0) + key.substring(1).replace('_', '-');
        out.put(key.toLowerCase(Locale.ROOT), e.getValue());
      }
    }
    return out;
  }

  /**
   * npm's global prefix: {@code npm_config_prefix}, {@code PREFIX}, {@code prefix} in the user
   * config, else the folder above the {@code node} found on {@code PATH} ({@code /usr/bin/node}
   * → {@code /usr}), else {@code /usr/local}.
   */
  private static Path globalPrefix(
      Map<String, String> env, Map<String, String> fromEnv, Map<String, String> userSettings) {
    for (String candidate :
        new String[] {fromEnv.get("prefix"), env.get("PREFIX"), userSettings.get("prefix")}) {
      if (candidate != null && !candidate.isBlank()) {
        return Path.of(candidate);
      }
    }
    String pathVar = env.getOrDefault("PATH", "");
    for (String dir : pathVar.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "node"))) {
        Path parent = Path.of(dir).toAbsolutePath().getParent();
        if (parent != null) {
          return parent;
        }
      }
    }
    return Path.of("/usr/local");
  }

  /** npm's "local prefix": the nearest folder upwards with a package.json or node_modules. */
  private static Path projectDir(Path workingDir) {
    for (Path dir = workingDir; dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("package.json")) || Files.isDirectory(dir.resolve("node_modules"))) {
        return dir;
      }
    }
    return workingDir;
  }

  @Override
  public String toString() {
    return "RegistryConfig[registry=" + registry + ", scopes=" + scopeRegistries + "]";
  }
}
