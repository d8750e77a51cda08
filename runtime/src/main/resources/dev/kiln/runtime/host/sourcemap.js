// Just enough of a v3 source-map consumer to map error positions back to the job source
// (compiler spec §6.2): decode the VLQ mappings, look up a generated position, read sourcesContent.
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

function decodeSegment(text) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const c of text) {
    const digit = DIGIT.get(c);
    if (digit === undefined) throw new Error(`bad source map character '${c}'`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/**
 * lines[i] = segments of generated line i+1, sorted: {genCol, source, line (0-based), col (0-based)},
 * or {genCol, unmapped: true} for a one-field segment (generated text with no original).
 */
function decodeMappings(mappings) {
  const lines = [];
  let source = 0;
  let line = 0;
  let col = 0;
  for (const lineText of mappings.split(';')) {
    const segments = [];
    let genCol = 0;
    for (const segmentText of lineText.split(',')) {
      if (!segmentText) continue;
      const v = decodeSegment(segmentText);
      genCol += v[0];
      if (v.length >= 4) {
        source += v[1];
        line += v[2];
        col += v[3];
        segments.push({ genCol, source, line, col });
      } else {
        segments.push({ genCol, unmapped: true });
      }
    }
    segments.sort((a, b) => a.genCol - b.genCol);
    lines.push(segments);
  }
  return lines;
}

function createSourceMap(json) {
  const map = typeof json === 'string' ? JSON.parse(json) : json;
  const lines = decodeMappings(map.mappings ?? '');
  return {
    operations: map.operations ?? [],
    /**
     * The original 1-based {line, column} of a V8 (1-based) position. The segment at or before the
     * generated column is taken and the distance into it carried over, so coarse maps (one segment
     * per token) give the same column as the reference's per-character maps.
     */
    originalPosition(line, column) {
      const segments = lines[line - 1];
      if (!segments || segments.length === 0) return undefined;
      const genCol = column - 1;
      let found;
      for (const s of segments) {
        if (s.genCol <= genCol) found = s;
        else break;
      }
      if (!found || found.unmapped) return undefined;
      return { line: found.line + 1, column: found.col + (genCol - found.genCol) + 1 };
    },
    sourceLine(fileName, line) {
      const sources = map.sources ?? [];
      let index = sources.indexOf(fileName);
      if (index < 0 && sources.length === 1) index = 0;
      const content = map.sourcesContent?.[index];
      return typeof content === 'string' ? content.split('\n')[line - 1] : undefined;
    },
  };
}

/**
 * Rewrites error.pos, error.stack and sets error.step / error.pos.src (spec §6.2 sourcemap-errors).
 * A position in generated code with no original (an import the compiler added) keeps its
 * generated position and gets no src line.
 */
function mapErrorPositions(error, map, stepName) {
  let mapped = false;
  if (error.pos?.line && error.pos?.column) {
    const original = map.originalPosition(error.pos.line, error.pos.column);
    if (original) {
      error.pos = original;
      mapped = true;
    }
    error.step = stepName;
  }
  if (typeof error.stack === 'string') {
    const [first, ...frames] = error.stack.split('\n');
    const mapped = [];
    for (const frame of frames) {
      const match = frame.match(/^(.*):(\d+):(\d+)(\)?)\s*$/);
      if (!match) continue;
      const original = frame.includes('vm:module') ? map.originalPosition(Number(match[2]), Number(match[3])) : undefined;
      mapped.push(original ? `${match[1]}:${original.line}:${original.column}${match[4]}` : frame);
    }
    error.stack = [first, ...mapped].join('\n');
  }
  if (mapped) {
    const src = map.sourceLine(`${stepName}.js`, error.pos.line);
    if (src !== undefined) error.pos.src = src;
  }
}

module.exports = { createSourceMap, mapErrorPositions };
