package dev.kiln.worker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One claim loop: the queues it claims from, in preference order, and its slots (spec §2.5).
 * Written {@code <q1>[>q2...]:<count>}, e.g. {@code manual>*:5} or {@code fast_lane:1}.
 *
 * @param id the token text, e.g. {@code manual>*:5}
 */
public record Workloop(String id, List<String> queues, int capacity) {
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9_]+$");
  private static final Pattern COUNT = Pattern.compile("^[1-9][0-9]*$");

  public Workloop {
    queues = List.copyOf(queues);
  }

  /** The default loop: {@code manual>*:<capacity>}. */
  public static List<Workloop> ofCapacity(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("--capacity must be at least 1, got " + capacity);
    }
    return parseAll("manual>*:" + capacity);
  }

  /** Parses whitespace-separated loop tokens; throws with a message naming the bad token. */
  public static List<Workloop> parseAll(String config) {
    String trimmed = config == null ? "" : config.trim();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("--workloops is empty: give e.g. \"manual>*:5\" or \"fast_lane:1 manual>*:4\"");
    }
    List<Workloop> loops = new ArrayList<>();
    for (String token : trimmed.split("\\s+")) {
      loops.add(parse(token));
    }
    return loops;
  }

  private static Workloop parse(String token) {
    int colon = token.lastIndexOf(':');
    if (colon < 0) {
      throw bad(token, "it has no ':<count>'");
    }
    String count = token.substring(colon + 1);
    if (!COUNT.matcher(count).matches()) {
      throw bad(token, "the count '" + count + "' is not a whole number of at least 1");
    }
    List<String> queues = Arrays.asList(token.substring(0, colon).split(">", -1));
    for (int i = 0; i < queues.size(); i++) {
      String q = queues.get(i);
      if ("*".equals(q)) {
        if (i != queues.size() - 1) {
          throw bad(token, "'*' may only be the last queue");
        }
      } else if (!NAME.matcher(q).matches()) {
        throw bad(token, "the queue name '" + q + "' may only use letters, digits and '_'");
      }
    }
    return new Workloop(token, queues, Integer.parseInt(count));
  }

  private static IllegalArgumentException bad(String token, String why) {
    return new IllegalArgumentException("invalid workloop '" + token + "': " + why
        + " (expected <queue>[>queue...]:<count>, e.g. manual>*:5)");
  }

  /** The join payload's key: queue names joined by {@code >}. */
  String queueKey() {
    return String.join(">", queues);
  }
}
