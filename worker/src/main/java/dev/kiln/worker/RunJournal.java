package dev.kiln.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.kiln.lightning.protocol.LightningJson;
import dev.kiln.lightning.protocol.StreamedJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One run's events on disk, written before they are sent: a header line (run id, run token), then
 * one line per event ({@code seq}, name, payload with its minted ids) and one line per answer
 * ({@code ack} of a seq, with what Lightning rejected, if it did). The events that were journalled
 * but not acknowledged are what a restarted worker still owes Lightning ({@link RestartRecovery}).
 * Lines are written with one {@code write} each, so a killed worker leaves at most a torn last
 * line, which loading skips. The file is deleted once {@code run:complete} was acknowledged.
 *
 * <p>Large states ({@link StreamedJson} values: {@code output_dataclip}, {@code final_state}) are
 * files in the run's body folder ({@link #bodyDir()}, {@code <run>.bodies} beside the journal,
 * where the engine spills them): an event's line refers to them by name ({@code "bodies":
 * {"output_dataclip": {"file", "length", "as"}}}) instead of holding a copy, and reading the
 * event back puts the reference into its payload again. The folder is deleted with the journal.
 *
 * <p>Durability: a killed worker loses nothing (the lines are in the OS's page cache). Against a
 * machine crash, the file is forced to disk ({@code fsync}) when it is created (with its folder,
 * so the run is known after a reboot) and after every event that is not a log line; log lines and
 * answers are not forced on their own but reach the disk with the next forced event (a group
 * commit). A log line or answer lost that way is resent and recognised as a duplicate. Cost on
 * this project's VMs: an {@code fsync} is 2–3.5 ms, an unforced line 3–25 µs, so a one-step run
 * pays about six {@code fsync}s and a job logging 10 000 lines pays none per line.
 */
final class RunJournal implements AutoCloseable {
  private static final String SUFFIX = ".journal";
  private static final String BODIES_SUFFIX = ".bodies";
  /** The payload fields that may hold a large state. */
  private static final List<String> BODY_FIELDS = List.of("output_dataclip", "final_state");

  /** A journalled event. */
  record Entry(long seq, OutgoingEvent event) {}

  /** Where an event's line is in the file: to read it back instead of keeping it in memory. */
  record Written(long seq, long offset, int length) {}

  private final Path file;
  private final String runId;
  private final String runToken;
  private final FileChannel channel;
  private final List<Entry> pending;
  private final List<String> rejections;
  private final Map<String, ObjectNode> openSteps;
  private final boolean completeJournalled;
  private long nextSeq;

  private RunJournal(Path file, String runId, String runToken, FileChannel channel, List<Entry> pending,
      List<String> rejections, Map<String, ObjectNode> openSteps, boolean completeJournalled, long nextSeq) {
    this.file = file;
    this.runId = runId;
    this.runToken = runToken;
    this.channel = channel;
    this.pending = pending;
    this.rejections = rejections;
    this.openSteps = openSteps;
    this.completeJournalled = completeJournalled;
    this.nextSeq = nextSeq;
  }

  /** A new journal for a claimed run in {@code dir} (created if needed). */
  static RunJournal create(Path dir, String runId, String runToken) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(fileName(runId));
      deleteBodies(file); // a previous attempt's, if any
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      RunJournal journal = new RunJournal(file, runId, runToken, channel, List.of(), List.of(), Map.of(), false, 1);
      ObjectNode header = JsonNodeFactory.instance.objectNode().put("run", runId).put("token", runToken);
      journal.write(header, true);
      forceFolder(dir);
      return journal;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run journal in " + dir
          + " (check --data-dir / WORKER_DATA_DIR): " + e.getMessage(), e);
    }
  }

  /** The journals a previous worker left in {@code dir}, oldest first. */
  static List<Path> leftBehind(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    }
  }

  /** Reopens a journal left behind, to finish it: its unacknowledged events are {@link #pending()}. */
  static RunJournal load(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IOException(file + " is empty");
    }
    JsonNode header = LightningJson.mapper().readTree(lines.get(0));
    Map<Long, Entry> unacked = new LinkedHashMap<>();
    List<String> rejections = new ArrayList<>();
    Map<String, ObjectNode> openSteps = new LinkedHashMap<>();
    boolean complete = false;
    long maxSeq = 0;
    for (String line : lines.subList(1, lines.size())) {
      JsonNode node;
      try {
        node = LightningJson.mapper().readTree(line);
      } catch (IOException e) {
        continue; // a torn last line: the worker died while writing it, before sending it
      }
      if (node == null) {
        continue;
      }
      if (node.has("ack")) {
        unacked.remove(node.get("ack").asLong());
        if (node.hasNonNull("rejected")) {
          rejections.add(node.get("rejected").asText());
        }
        continue;
      }
      long seq = node.path("seq").asLong();
      maxSeq = Math.max(maxSeq, seq);
      String event = node.path("event").asText();
      ObjectNode payload = withBodies(node, file);
      unacked.put(seq, new Entry(seq, new OutgoingEvent(event, payload)));
      switch (event) {
        case OutgoingEvent.STEP_START -> openSteps.put(payload.path("step_id").asText(), payload);
        case OutgoingEvent.STEP_COMPLETE -> openSteps.remove(payload.path("step_id").asText());
        case OutgoingEvent.RUN_COMPLETE -> complete = true;
        default -> { }
      }
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    channel.position(channel.size());
    channel.write(ByteBuffer.wrap("\n".getBytes(StandardCharsets.UTF_8))); // ends a torn line, if any
    return new RunJournal(file, header.path("run").asText(), header.path("token").asText(), channel,
        List.copyOf(unacked.values()), rejections, openSteps, complete, maxSeq + 1);
  }

  String runId() {
    return runId;
  }

  String runToken() {
    return runToken;
  }

  /** Events journalled but not acknowledged when the journal was loaded, in order. */
  List<Entry> pending() {
    return pending;
  }

  /** What Lightning rejected before the journal was loaded ({@code [event] response}). */
  List<String> rejections() {
    return Collections.unmodifiableList(rejections);
  }

  /** {@code step:start} payloads without a journalled {@code step:complete}, when loaded. */
  Map<String, ObjectNode> openSteps() {
    return openSteps;
  }

  /** Whether {@code run:complete} was journalled before the journal was loaded. */
  boolean completeJournalled() {
    return completeJournalled;
  }

  /** Writes the event (with its ids) before it may be sent; its sequence number. */
  synchronized long append(OutgoingEvent event) {
    return appendAt(event).seq();
  }

  /** As {@link #append}, saying where the line is, for {@link #read}. */
  synchronized Written appendAt(OutgoingEvent event) {
    long seq = nextSeq++;
    ObjectNode line = JsonNodeFactory.instance.objectNode().put("seq", seq).put("event", event.event());
    ObjectNode payload = event.payload();
    ObjectNode bodies = null;
    for (String field : BODY_FIELDS) {
      if (payload.get(field) instanceof POJONode pojo && pojo.getPojo() instanceof StreamedJson body) {
        if (bodies == null) {
          bodies = JsonNodeFactory.instance.objectNode();
          payload = payload.deepCopy();
        }
        payload.remove(field);
        bodies.putObject(field).put("file", bodyDir().relativize(body.file()).toString())
            .put("length", body.length()).put("as", body.asString() ? "string" : "raw");
      }
    }
    line.set("payload", payload);
    if (bodies != null) {
      line.set("bodies", bodies);
    }
    try {
      long offset = channel.size();
      int length = write(line, !event.isLog());
      return new Written(seq, offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the journal of run " + runId + " (" + file + "): "
          + e.getMessage(), e);
    }
  }

  /** An event written by {@link #appendAt}, read back from the file. */
  synchronized OutgoingEvent read(Written written) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(written.length());
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, written.offset() + buffer.position()) < 0) {
          throw new IOException("the journal ends before event " + written.seq());
        }
      }
      JsonNode line = LightningJson.mapper().readTree(buffer.array());
      return new OutgoingEvent(line.path("event").asText(), withBodies(line, file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read event " + written.seq() + " of run " + runId + " back from "
          + file + ": " + e.getMessage(), e);
    }
  }

  /** The folder for this run's large states: the engine's spill folder, deleted with the journal. */
  Path bodyDir() {
    return bodyDir(file);
  }

  private static Path bodyDir(Path journalFile) {
    String name = journalFile.getFileName().toString();
    return journalFile.resolveSibling(name.substring(0, name.length() - SUFFIX.length()) + BODIES_SUFFIX);
  }

  /** A journalled event's payload with its large states referred to again ({@link StreamedJson}). */
  private static ObjectNode withBodies(JsonNode line, Path journalFile) {
    ObjectNode payload = (ObjectNode) line.get("payload");
    line.path("bodies").properties().forEach(ref -> {
      JsonNode body = ref.getValue();
      Path file = bodyDir(journalFile).resolve(body.path("file").asText());
      long length = body.path("length").asLong();
      payload.putPOJO(ref.getKey(), "string".equals(body.path("as").asText())
          ? StreamedJson.string(file, length) : StreamedJson.raw(file, length));
    });
    return payload;
  }

  /** Lightning answered the event: delivered, or rejected with {@code rejected} (null when accepted). */
  synchronized void ack(long seq, String rejected) {
    ObjectNode line = JsonNodeFactory.instance.objectNode().put("ack", seq);
    if (rejected != null) {
      line.put("rejected", rejected);
    }
    write(line, false);
  }

  /** The run is reported: nothing is owed any more. */
  synchronized void delete() {
    close();
    try {
      Files.deleteIfExists(file);
      deleteBodies(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteBodies(Path journalFile) throws IOException {
    Path dir = bodyDir(journalFile);
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Appends the line, forced to disk when {@code durable}; its length in bytes. Written straight
   * from Jackson's buffer to the file: a line can carry a 10 MB state, and text-then-bytes held
   * three more copies of it in the heap.
   */
  private int write(ObjectNode line, boolean durable) {
    try {
      long start = channel.size();
      AppendingOutput out = new AppendingOutput(channel, start);
      LightningJson.mapper().writeValue(out, line);
      out.write('\n');
      if (durable) {
        channel.force(false);
      }
      return (int) (out.position - start);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the journal of run " + runId + " (" + file + "): "
          + e.getMessage(), e);
    }
  }

  /** Forces a folder's entries (a new journal's name) to disk. */
  private static void forceFolder(Path dir) {
    try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
      folder.force(true);
    } catch (IOException e) {
      // some file systems cannot open a folder for reading: the file itself was forced
    }
  }

  /** Writes at a position of the channel and moves on; {@code close()} leaves the channel open. */
  private static final class AppendingOutput extends java.io.OutputStream {
    private final FileChannel channel;
    private long position;

    AppendingOutput(FileChannel channel, long position) {
      this.channel = channel;
      this.position = position;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
      while (buffer.hasRemaining()) {
        position += channel.write(buffer, position);
      }
    }
  }

  private static String fileName(String runId) {
    return runId.replaceAll("[^A-Za-z0-9._-]", "_") + SUFFIX;
  }
}
