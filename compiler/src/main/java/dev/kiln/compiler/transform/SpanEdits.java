package dev.kiln.compiler.transform;

import dev.kiln.compiler.ast.LineTable;
import dev.kiln.compiler.sourcemap.MappingsBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Edits to spans of the original source, applied by linear passes that copy everything else
 * verbatim: one records a source-map segment at the start of every copied run and at every line
 * start inside it, one writes the code into a buffer of exactly its size.
 *
 * <p>An edit replaces {@code [start, end)} (an insertion when they are equal) with pieces: literal
 * text, or a range of the source which is rendered with the edits inside it. That lets a
 * transform move code (top-level operations into {@code export default [...]}) or rebuild it
 * ({@code _defer(op, p => p.then(...))}) without losing the edits other transforms made inside.
 */
public final class SpanEdits {

  /** A part of an edit's replacement. */
  public sealed interface Piece permits Text, Range {}

  /** Literal text (no source mapping). */
  public record Text(String text) implements Piece {}

  /** The source range {@code [start, end)}, rendered with the edits inside it. */
  public record Range(int start, int end) implements Piece {}

  /**
   * An edit: {@code [start, end)} replaced by {@code pieces}; an insertion when they are equal.
   * An insertion belongs to the code {@code [scopeStart, scopeEnd)} it wraps or extends: it is
   * rendered with a moved range only when that code lies inside the range.
   */
  private record Edit(
      int start, int end, List<Piece> pieces, int scopeStart, int scopeEnd, boolean move, int sequence) {
    boolean isInsert() {
      return start == end;
    }

    /** 0: closes its scope, 1: in the middle, 2: opens its scope, 3: replacement. */
    int rank() {
      if (!isInsert()) {
        return 3;
      }
      if (start == scopeStart) {
        return 2;
      }
      return start == scopeEnd ? 0 : 1;
    }

    /** At one offset: inner closings first, outer openings first. */
    int nesting() {
      return switch (rank()) {
        case 0 -> -scopeStart;
        case 2 -> -scopeEnd;
        case 3 -> -end;
        default -> 0;
      };
    }
  }

  private static final Comparator<Edit> ORDER =
      Comparator.comparingInt(Edit::start)
          .thenComparingInt(Edit::rank)
          .thenComparingInt(Edit::nesting)
          .thenComparingInt(e -> e.move() ? 0 : 1) // a move covers the edits of the same range
          .thenComparingInt(Edit::sequence);

  private final String source;
  private final List<Edit> edits = new ArrayList<>();

  public SpanEdits(String source) {
    this.source = source;
  }

  public String source() {
    return source;
  }

  /** Inserts {@code pieces} at {@code at}, as part of the code {@code [scopeStart, scopeEnd)}. */
  public void insert(int at, int scopeStart, int scopeEnd, Piece... pieces) {
    if (at < scopeStart || at > scopeEnd) {
      throw new IllegalArgumentException("insertion at " + at + " outside its scope");
    }
    add(at, at, scopeStart, scopeEnd, false, pieces);
  }

  /** Inserts {@code text} before the code {@code [start, end)}. */
  public void before(int start, int end, String text) {
    insert(start, start, end, new Text(text));
  }

  /** Inserts {@code text} after the code {@code [start, end)}. */
  public void after(int start, int end, String text) {
    insert(end, start, end, new Text(text));
  }

  /** Replaces {@code [start, end)} with {@code pieces}. */
  public void replace(int start, int end, Piece... pieces) {
    if (start >= end) {
      throw new IllegalArgumentException("empty replacement range " + start);
    }
    add(start, end, start, end, false, pieces);
  }

  /**
   * Removes {@code [start, end)} from where it is because a {@link Range} of it is rendered
   * elsewhere; that range renders the edits inside, but not this removal.
   */
  public void move(int start, int end) {
    if (start >= end) {
      throw new IllegalArgumentException("empty moved range " + start);
    }
    add(start, end, start, end, true);
  }

  private void add(int start, int end, int scopeStart, int scopeEnd, boolean move, Piece... pieces) {
    if (start < 0 || end > source.length() || start > end) {
      throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
    }
    edits.add(new Edit(start, end, List.of(pieces), scopeStart, scopeEnd, move, edits.size()));
  }

  /**
   * The source map segments of the edited source, from a pass that writes no text: build the
   * map before {@link #code}, so the map's buffers and the code's never coexist.
   */
  public MappingsBuilder mappings(LineTable lines) {
    Renderer renderer = new Renderer(sorted(), lines, null);
    renderer.render(0, source.length(), true);
    return renderer.mappings;
  }

  /** The edited source, rendered into a buffer of exactly its size. */
  public String code(LineTable lines) {
    Edit[] sorted = sorted();
    Renderer counter = new Renderer(sorted, null, null);
    counter.render(0, source.length(), true);
    if (counter.length > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("compiled job too large");
    }
    Renderer writer = new Renderer(sorted, null, new StringBuilder((int) counter.length));
    writer.render(0, source.length(), true);
    return writer.out.toString();
  }

  private Edit[] sorted() {
    Edit[] sorted = edits.toArray(new Edit[0]);
    Arrays.sort(sorted, ORDER);
    return sorted;
  }

  private final class Renderer {
    private final Edit[] sorted;
    private final int[] starts;
    private final LineTable lines;
    private final StringBuilder out;
    private final MappingsBuilder mappings;
    private final Set<Edit> expanding = Collections.newSetFromMap(new IdentityHashMap<>());
    private int genLine;
    private int genColumn;

    private long length;

    /** Writes text into {@code out} when given, segments when {@code lines} is given; always counts. */
    Renderer(Edit[] sorted, LineTable lines, StringBuilder out) {
      this.sorted = sorted;
      this.lines = lines;
      this.out = out;
      this.starts = new int[sorted.length];
      for (int i = 0; i < sorted.length; i++) {
        starts[i] = sorted[i].start();
      }
      this.mappings = lines == null ? null : new MappingsBuilder(lines.lineCount() + 16);
    }

    void render(int from, int to, boolean whole) {
      int cursor = from;
      for (int i = firstAtOrAfter(from); i < sorted.length && starts[i] <= to; i++) {
        Edit e = sorted[i];
        if (e.start() < cursor || expanding.contains(e)) {
          continue;
        }
        if (e.isInsert()) {
          if (!whole && (e.scopeStart() < from || e.scopeEnd() > to)) {
            continue;
          }
        } else if (e.end() > to || (!whole && e.move())) {
          continue;
        }
        copy(cursor, e.start());
        expanding.add(e);
        for (Piece piece : e.pieces()) {
          switch (piece) {
            case Text t -> emit(t.text());
            case Range r -> render(r.start(), r.end(), false);
          }
        }
        expanding.remove(e);
        cursor = e.end();
      }
      copy(cursor, to);
    }

    private int firstAtOrAfter(int offset) {
      int low = 0;
      int high = starts.length;
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (starts[mid] < offset) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      return low;
    }

    /** Appends generated text: no mapping. */
    private void emit(String text) {
      if (mappings != null && !text.isEmpty()) {
        mappings.addUnmapped(genLine, genColumn);
      }
      length += text.length();
      if (out != null) {
        out.append(text);
      }
      int lastBreak = text.lastIndexOf('\n');
      if (lastBreak < 0) {
        genColumn += text.length();
      } else {
        for (int i = 0; i <= lastBreak; i++) {
          if (text.charAt(i) == '\n') {
            genLine++;
          }
        }
        genColumn = text.length() - lastBreak - 1;
      }
    }

    /** Copies original text, mapping its start and each line start inside it. */
    private void copy(int from, int to) {
      if (from >= to) {
        return;
      }
      length += to - from;
      if (mappings == null) {
        if (out != null) {
          out.append(source, from, to);
        }
        return;
      }
      int origLine = lines.line(from) - 1;
      int origColumn = from - lines.lineStart(origLine + 1);
      if (!isLineBreak(source.charAt(from))) {
        mappings.add(genLine, genColumn, origLine, origColumn);
      }
      int run = from;
      for (int i = from; i < to; i++) {
        char c = source.charAt(i);
        if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029') {
          if (c == '\r' && i + 1 < to && source.charAt(i + 1) == '\n') {
            i++;
          }
          run = i + 1;
          genLine++;
          genColumn = 0;
          origLine++;
          if (run < to && !isLineBreak(source.charAt(run))) {
            mappings.add(genLine, 0, origLine, 0);
          }
        }
      }
      genColumn += to - run;
    }

    private boolean isLineBreak(char c) {
      return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029';
    }
  }
}
