package io.mediastore.hls.internal;

import io.mediastore.hls.HlsException;
import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 8216 section 4.2 attribute lists: {@code NAME=value,NAME="quoted",...}. */
public final class AttributeList {
  private AttributeList() {}

  /** Parses into attribute name to value, in order; a malformed list throws INVALID_PLAYLIST. */
  public static Map<String, Value> parse(String text, int lineNo) {
    Map<String, Value> out = new LinkedHashMap<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      int eq = i;
      while (eq < n && isNameChar(text.charAt(eq))) {
        eq++;
      }
      if (eq == i || eq >= n || text.charAt(eq) != '=') {
        throw bad(lineNo, "attribute name expected at column " + i);
      }
      String name = text.substring(i, eq);
      int v = eq + 1;
      Value value;
      int end;
      if (v < n && text.charAt(v) == '"') {
        int close = text.indexOf('"', v + 1);
        if (close < 0) {
          throw bad(lineNo, "unterminated quoted string for " + name);
        }
        value = new Value(text.substring(v + 1, close), true);
        end = close + 1;
      } else {
        end = v;
        while (end < n && text.charAt(end) != ',') {
          char c = text.charAt(end);
          if (c == '"' || c == ' ' || c == '\t') {
            throw bad(lineNo, "unexpected character in value of " + name);
          }
          end++;
        }
        if (end == v) {
          throw bad(lineNo, "empty value for " + name);
        }
        value = new Value(text.substring(v, end), false);
      }
      if (out.put(name, value) != null) {
        throw bad(lineNo, "duplicate attribute " + name);
      }
      if (end < n) {
        if (text.charAt(end) != ',' || end + 1 == n) {
          throw bad(lineNo, "',' expected after " + name);
        }
        end++;
      }
      i = end;
    }
    return out;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  }

  static HlsException bad(int lineNo, String what) {
    return new HlsException(HlsException.Reason.INVALID_PLAYLIST, "line " + lineNo + ": " + what);
  }

  /** A raw attribute value and whether it was a quoted string. */
  public record Value(String text, boolean quoted) {}

  /** Checks a value that will be written as a quoted string (no quote, CR or LF, RFC 8216 4.2). */
  public static String checkQuotable(String s, String what) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\r' || c == '\n') {
        throw new IllegalArgumentException(what + " may not contain a quote or a line break");
      }
    }
    return s;
  }

  /** Checks a URI line (no line break, not empty, not starting with '#'). */
  public static String checkUriLine(String s, String what) {
    if (s.isEmpty() || s.charAt(0) == '#' || s.isBlank() || !s.strip().equals(s)) {
      throw new IllegalArgumentException(what + " must be non-empty, not start with '#' and have no surrounding blanks");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n') {
        throw new IllegalArgumentException(what + " may not contain a line break");
      }
    }
    return s;
  }

  /** Splits playlist text into lines (LF or CRLF). */
  public static String[] lines(String text) {
    return text.split("\r?\n", -1);
  }

  public static long parseLong(String s, int lineNo, String what) {
    if (s.isEmpty() || s.length() > 18) {
      throw bad(lineNo, what + " is not a decimal integer");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw bad(lineNo, what + " is not a decimal integer");
      }
    }
    return Long.parseLong(s);
  }

  public static int parseInt(String s, int lineNo, String what) {
    long v = parseLong(s, lineNo, what);
    if (v > Integer.MAX_VALUE) {
      throw bad(lineNo, what + " is too large");
    }
    return (int) v;
  }

  public static double parseDecimal(String s, int lineNo, String what) {
    if (s.isEmpty() || s.length() > 32 || !s.matches("[0-9]+(\\.[0-9]*)?")) {
      throw bad(lineNo, what + " is not a decimal number");
    }
    return Double.parseDouble(s);
  }
}
