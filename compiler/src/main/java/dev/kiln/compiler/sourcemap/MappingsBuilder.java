package dev.kiln.compiler.sourcemap;

/**
 * Builds a v3 {@code mappings} string for a single source, in generated order. Each segment maps
 * a generated (line, column) to an original (line, column); lines 0-based here, as encoded.
 */
public final class MappingsBuilder {
  private final StringBuilder out;
  private int generatedLine;
  private int previousGeneratedColumn;
  private int previousOriginalLine;
  private int previousOriginalColumn;
  private boolean lineHasSegment;
  private boolean lastWasUnmapped;

  /** @param expectedLines a capacity hint: about how many generated lines get a mapping */
  public MappingsBuilder(int expectedLines) {
    out = new StringBuilder(Math.max(16, Math.min(expectedLines, 1 << 24) * 5));
  }

  /**
   * Adds a segment. Calls must come in generated order (line, then column, non-decreasing).
   *
   * @param genLine 0-based generated line
   * @param genColumn 0-based generated column
   * @param origLine 0-based original line
   * @param origColumn 0-based original column
   */
  public void add(int genLine, int genColumn, int origLine, int origColumn) {
    if (genLine < generatedLine || (genLine == generatedLine && lineHasSegment && genColumn < previousGeneratedColumn)) {
      throw new IllegalArgumentException("mappings must be added in generated order");
    }
    while (generatedLine < genLine) {
      out.append(';');
      generatedLine++;
      previousGeneratedColumn = 0;
      lineHasSegment = false;
      lastWasUnmapped = false;
    }
    if (lineHasSegment) {
      out.append(',');
    }
    Base64Vlq.append(out, genColumn - previousGeneratedColumn);
    Base64Vlq.append(out, 0); // the only source
    Base64Vlq.append(out, origLine - previousOriginalLine);
    Base64Vlq.append(out, origColumn - previousOriginalColumn);
    previousGeneratedColumn = genColumn;
    previousOriginalLine = origLine;
    previousOriginalColumn = origColumn;
    lineHasSegment = true;
    lastWasUnmapped = false;
  }

  /**
   * Marks generated text from here on as unmapped (a one-field segment), so that a lookup that
   * interpolates within the previous run stops where the run ends.
   */
  public void addUnmapped(int genLine, int genColumn) {
    if (genLine != generatedLine || !lineHasSegment || lastWasUnmapped) {
      return; // nothing mapped before it on this line
    }
    out.append(',');
    Base64Vlq.append(out, genColumn - previousGeneratedColumn);
    previousGeneratedColumn = genColumn;
    lastWasUnmapped = true;
  }

  /** The encoded mappings so far (no copy). */
  public CharSequence mappings() {
    return out;
  }
}
