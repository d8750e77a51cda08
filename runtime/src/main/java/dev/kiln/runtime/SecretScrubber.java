package dev.kiln.runtime;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces the run's secrets with {@code ****} in text that leaves the run process: every string
 * value of its credentials (at any depth) of at least {@link #MIN_LENGTH} characters, the base64 of
 * each such value and of every {@code user:password} / {@code username:password} pair. Each secret
 * is matched as it is, JSON-escaped once (inside a JSON string) and twice (a log frame's
 * {@code message} is JSON text inside a JSON string), so a secret with quotes or backslashes is
 * found wherever it was serialized. Longer secrets are replaced first. The run process scrubs
 * every frame it sends; the engine scrubs the frames it receives again, for frames job code
 * could forge by writing to the process' stdout itself.
 */
public final class SecretScrubber {
  /**
   * Shorter values are not scrubbed: replacing every {@code "yes"}, {@code "443"} or {@code "en"}
   * of a log would garble it while protecting nothing (a secret of three characters is guessed in
   * a few thousand tries). The reference scrubs nothing by value.
   */
  static final int MIN_LENGTH = 4;
  static final String MASK = "****";
  static final SecretScrubber NONE = new SecretScrubber(List.of());

  private final List<String> patterns;

  private SecretScrubber(List<String> patterns) {
    this.patterns = patterns;
  }

  /**
   * The secrets of a {@code run} frame's meta: {@code credentials} (resolved step credentials), the
   * plan's workflow {@code credentials} and every step's inline {@code configuration} object.
   */
  public static SecretScrubber of(JsonNode runMeta) {
    Set<String> secrets = new LinkedHashSet<>();
    collect(runMeta.path("credentials"), secrets);
    JsonNode plan = runMeta.path("plan");
    collect(plan.path("workflow").path("credentials"), secrets);
    collect(plan.path("credentials"), secrets);
    for (JsonNode steps : List.of(plan.path("workflow").path("steps"), plan.path("steps"), plan.path("jobs"))) {
      steps.forEach(step -> {
        if (step.path("configuration").isObject()) {
          collect(step.path("configuration"), secrets);
        }
      });
    }
    return of(secrets);
  }

  static SecretScrubber of(Set<String> secrets) {
    Set<String> patterns = new LinkedHashSet<>();
    for (String secret : secrets) {
      patterns.add(secret);
      String once = new String(JsonStringEncoder.getInstance().quoteAsString(secret));
      patterns.add(once);
      patterns.add(new String(JsonStringEncoder.getInstance().quoteAsString(once)));
    }
    List<String> sorted = new ArrayList<>(patterns);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return new SecretScrubber(List.copyOf(sorted));
  }

  private static void collect(JsonNode node, Set<String> secrets) {
    if (node.isTextual()) {
      add(node.asText(), secrets);
    } else if (node.isContainerNode()) {
      node.forEach(child -> collect(child, secrets));
      if (node.isObject() && node.path("password").isTextual()) {
        for (String userKey : List.of("username", "user")) {
          if (node.path(userKey).isTextual()) {
            add(base64(node.path(userKey).asText() + ":" + node.path("password").asText()), secrets);
          }
        }
      }
    }
  }

  private static void add(String value, Set<String> secrets) {
    if (value.length() >= MIN_LENGTH) {
      secrets.add(value);
      // unpadded: the padded encoding contains it, and so does a longer text's encoding when aligned
      secrets.add(base64(value));
    }
  }

  private static String base64(String value) {
    return Base64.getEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  /** The text with every secret replaced by {@code ****}; null stays null. */
  public String scrub(String text) {
    if (text == null || patterns.isEmpty()) {
      return text;
    }
    String result = text;
    for (String pattern : patterns) {
      if (result.contains(pattern)) {
        result = result.replace(pattern, MASK);
      }
    }
    return result;
  }
}
