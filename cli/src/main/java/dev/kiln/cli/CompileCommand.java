package dev.kiln.cli;

import dev.kiln.compiler.AdaptorExports;
import dev.kiln.compiler.AdaptorImports;
import dev.kiln.compiler.CompileError;
import dev.kiln.compiler.CompileOptions;
import dev.kiln.compiler.CompiledJob;
import dev.kiln.compiler.JobCompiler;
import dev.kiln.compiler.JobSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kiln compile}: prints a job compiled to an ES module, as the reference CLI's compile does. */
@Command(
    name = "compile",
    mixinStandardHelpOptions = true,
    description = "Compile an OpenFn job to the ES module Kiln runs, and print it.")
final class CompileCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<job.js>", description = "The job file (UTF-8).")
  Path job;

  @Option(
      names = {"-a", "--adaptor", "--adaptors"},
      paramLabel = "adaptor[=path]",
      description =
          "An adaptor to import from, e.g. common, http@7.3.2, @openfn/language-common=./path. "
              + "Its exports are read from the repo (or the given path) when installed.")
  List<String> adaptors = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "out.js", description = "Write the module here instead of stdout.")
  Path output;

  @Option(
      names = "--repo-dir",
      paramLabel = "dir",
      description = "The adaptor repo (default: $OPENFN_REPO_DIR or ~/.openfn/repo).")
  Path repoDir;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      String source = JobSource.read(job);
      String name = job.getFileName().toString().replaceFirst("\\.[^.]*$", "");
      CompileOptions options = CompileOptions.named(name);
      for (String adaptor : adaptors) {
        options = options.withAdaptor(resolve(adaptor, err));
      }
      CompiledJob compiled = JobCompiler.compile(source, options);
      if (output != null) {
        Files.writeString(output, compiled.code(), StandardCharsets.UTF_8);
      } else {
        PrintWriter out = spec.commandLine().getOut();
        out.print(compiled.code());
        if (!compiled.code().endsWith("\n")) {
          out.println();
        }
        out.flush();
      }
      return 0;
    } catch (CompileError e) {
      err.println("Failed to compile job " + job + ": " + e.getMessage());
      if (!e.codeFrame().isEmpty()) {
        err.print(e.codeFrame());
      }
      if (e.details() != null) {
        err.println(e.details());
      }
      err.println("Check the syntax of the job expression.");
      return 1;
    } catch (IOException | UncheckedIOException e) {
      err.println("Failed to compile job " + job + ": " + e.getMessage());
      return 1;
    } finally {
      err.flush();
    }
  }

  /** {@code common} → {@code @openfn/language-common}; {@code spec=path} reads exports from path. */
  private AdaptorImports resolve(String argument, PrintWriter err) {
    int equals = argument.indexOf('=');
    String specifier = expandShorthand(equals < 0 ? argument : argument.substring(0, equals));
    String name = stripVersion(specifier);
    String version = specifier.length() > name.length() ? specifier.substring(name.length() + 1) : null;
    Optional<Path> root =
        equals >= 0 ? Optional.of(Path.of(argument.substring(equals + 1))) : installed(name, version);
    if (root.isEmpty()) {
      err.println(
          "Adaptor " + specifier + " is not installed in " + repo()
              + ": compiling without its exports list (every free name that is not a global is imported from it).");
      return new AdaptorImports(name, List.of(), true);
    }
    try {
      return new AdaptorImports(name, AdaptorExports.fromPackage(root.get()), true);
    } catch (UncheckedIOException e) {
      err.println("Cannot read the exports of " + specifier + ": " + e.getMessage() + "; compiling without them.");
      return new AdaptorImports(name, List.of(), true);
    }
  }

  static String expandShorthand(String specifier) {
    if (specifier.startsWith("@") || specifier.startsWith(".") || specifier.startsWith("/") || specifier.contains("/")) {
      return specifier;
    }
    return "@openfn/language-" + specifier;
  }

  /** Cuts at the last {@code @} when it is not the first character ({@code @x/y@1.0} → {@code @x/y}). */
  static String stripVersion(String specifier) {
    int at = specifier.lastIndexOf('@');
    return at > 0 ? specifier.substring(0, at) : specifier;
  }

  private Path repo() {
    if (repoDir != null) {
      return repoDir;
    }
    String env = System.getenv("OPENFN_REPO_DIR");
    return env != null && !env.isEmpty() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".openfn", "repo");
  }

  /** {@code <repo>/node_modules/<name>_<version>}; without a version the highest installed one. */
  private Optional<Path> installed(String name, String version) {
    Path modules = repo().resolve("node_modules");
    if (version != null && !version.equals("latest")) {
      Path path = modules.resolve(name + "_" + version);
      return Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
    }
    Path parent = modules.resolve(name).getParent();
    String prefix = Path.of(name).getFileName() + "_";
    if (!Files.isDirectory(parent)) {
      return Optional.empty();
    }
    try (Stream<Path> entries = Files.list(parent)) {
      return entries
          .filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p))
          .max(Comparator.comparing(p -> versionKey(p.getFileName().toString().substring(prefix.length()))));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Orders versions numerically (the reference compares them as strings, so 10.0.0 < 9.0.0). */
  private static String versionKey(String version) {
    StringBuilder key = new StringBuilder();
    for (String part : version.split("[.-]")) {
      key.append(part.matches("\\d+") ? String.format("%010d", Long.parseLong(part)) : part).append('.');
    }
    return key.toString();
  }
}
