package dev.kiln.engine.install;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The repo's {@code package.json}, the same file the reference keeps: {@code dependencies} maps
 * each installed alias {@code <name>_<version>} to {@code npm:<name>@<version>}. A new repo gets
 * the reference's default content. The file is always replaced atomically, so lock-free readers
 * see either the old or the new list.
 */
final class RepoManifest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectWriter NPM_STYLE = JSON.writer(
      new DefaultPrettyPrinter(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEmptySeparator("")
                  .withArrayEmptySeparator(""))
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  private final Path repo;

  RepoManifest(Path repo) {
    this.repo = repo;
  }

  Path file() {
    return repo.resolve("package.json");
  }

  /** Creates the repo folder and a default package.json if there is none; keeps an existing one. */
  void ensureExists() throws IOException {
    Files.createDirectories(repo);
    if (!Files.exists(file())) {
      ObjectNode pkg = JSON.createObjectNode();
      pkg.put("name", "openfn-repo");
      pkg.put("description", "A repository for modules used by the openfn runtime");
      pkg.put("private", true);
      pkg.put("author", "Open Function Group <admin@openfn.org>");
      pkg.put("version", "1.0.0");
      pkg.putObject("dependencies");
      write(pkg);
    }
  }

  /** The installed aliases (keys of {@code dependencies}); empty when there is no repo yet. */
  List<String> aliases() throws IOException {
    Optional<ObjectNode> pkg = read();
    List<String> out = new ArrayList<>();
    pkg.map(p -> p.path("dependencies")).filter(JsonNode::isObject)
        .ifPresent(deps -> deps.fieldNames().forEachRemaining(out::add));
    return out;
  }

  /** Records {@code alias → npm:<name>@<version>}, keeping dependencies sorted as npm does. */
  void addAlias(String name, String version) throws IOException {
    ObjectNode pkg = read().orElseGet(JSON::createObjectNode);
    Map<String, JsonNode> sorted = new TreeMap<>();
    JsonNode existing = pkg.path("dependencies");
    if (existing.isObject()) {
      existing.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
    }
    sorted.put(PackageSpecifier.alias(name, version), JSON.getNodeFactory().textNode("npm:" + name + "@" + version));
    ObjectNode deps = JSON.createObjectNode();
    sorted.forEach(deps::set);
    pkg.set("dependencies", deps);
    write(pkg);
  }

  private Optional<ObjectNode> read() throws IOException {
    String text;
    try {
      text = Files.readString(file(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(text);
      if (node instanceof ObjectNode object) {
        return Optional.of(object);
      }
    } catch (IOException e) {
      // reported below
    }
    throw new IOException(
        "The adaptor repo's " + file() + " is not a JSON object; fix it or delete it (it will be recreated)");
  }

  private void write(ObjectNode pkg) throws IOException {
    Path temp = repo.resolve(".package.json." + UUID.randomUUID() + ".tmp");
    try {
      Files.writeString(temp, NPM_STYLE.writeValueAsString(pkg) + "\n", StandardCharsets.UTF_8);
      RegistryClient.moveIntoPlace(temp, file());
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
