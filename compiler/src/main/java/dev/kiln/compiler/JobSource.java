package dev.kiln.compiler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads job files. */
public final class JobSource {
  private JobSource() {}

  /**
   * Reads a job file as strict UTF-8 and strips a leading byte order mark; invalid bytes give a
   * CompileError naming the line.
   */
  public static String read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UncheckedIOException("Job file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read job file " + file + ": " + e.getMessage(), e);
    }
    return decode(bytes, file.toString());
  }

  /** Decodes {@code bytes} as strict UTF-8; {@code name} is used in the error message. */
  static String decode(byte[] bytes, String name) {
    int invalid = firstInvalidUtf8(bytes);
    if (invalid >= 0) {
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < invalid; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      int column = invalid - lineStart;
      throw new CompileError(
          String.format(
              "Invalid UTF-8 in %s: byte 0x%02X at line %d, byte %d of the line (%d:%d)",
              name, bytes[invalid] & 0xff, line, column + 1, line, column),
          line,
          column,
          "",
          "Save the job file with UTF-8 encoding.");
    }
    boolean bom = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF;
    return bom
        ? new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8)
        : new String(bytes, StandardCharsets.UTF_8);
  }

  /** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence, or -1. */
  static int firstInvalidUtf8(byte[] b) {
    int i = 0;
    int n = b.length;
    while (i < n) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int length;
      int min;
      int max = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        length = 2;
        min = 0x80;
      } else if (c >= 0xE0 && c <= 0xEF) {
        length = 3;
        min = c == 0xE0 ? 0xA0 : 0x80; // no overlongs
        max = c == 0xED ? 0x9F : 0xBF; // no surrogates
      } else if (c >= 0xF0 && c <= 0xF4) {
        length = 4;
        min = c == 0xF0 ? 0x90 : 0x80;
        max = c == 0xF4 ? 0x8F : 0xBF; // up to U+10FFFF
      } else {
        return i;
      }
      if (i + length > n) {
        return i;
      }
      int second = b[i + 1] & 0xff;
      if (second < min || second > max) {
        return i;
      }
      for (int k = 2; k < length; k++) {
        int next = b[i + k] & 0xff;
        if (next < 0x80 || next > 0xBF) {
          return i;
        }
      }
      i += length;
    }
    return -1;
  }
}
