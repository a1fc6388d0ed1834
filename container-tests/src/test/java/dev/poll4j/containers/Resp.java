package dev.poll4j.containers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Redis serialization protocol (RESP2), just enough for the redis peer test: commands as arrays
 * of bulk strings, and an incremental reply parser over a {@link Wire.Conn}'s input.
 *
 * <p>Replies: {@code +OK} is a {@link String}, {@code -ERR ...} an {@link Error}, {@code :1} a
 * {@link Long}, {@code $n} a {@code byte[]} (null for {@code $-1}), {@code *n} a {@link List}.
 */
final class Resp {
  /** An error reply. */
  record Error(String message) {}

  private Resp() {}

  /** Encodes one command; arguments are {@code String}s (UTF-8) or {@code byte[]}s. */
  static byte[] command(Object... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (Object a : args) {
      byte[] b = a instanceof byte[] ? (byte[]) a : a.toString().getBytes(StandardCharsets.UTF_8);
      out.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(b);
      out.writeBytes(new byte[] {'\r', '\n'});
    }
    return out.toByteArray();
  }

  /** Parses every complete reply in the connection's input into {@code replies}. */
  static void parse(Wire.Conn conn, List<Object> replies) {
    for (; ; ) {
      int[] pos = {conn.start()};
      Object r = parseOne(conn.input(), pos, conn.end());
      if (r == INCOMPLETE) {
        return;
      }
      replies.add(r);
      conn.consume(pos[0] - conn.start());
    }
  }

  private static final Object INCOMPLETE = new Object();

  private static Object parseOne(byte[] b, int[] pos, int end) {
    int lineEnd = lineEnd(b, pos[0], end);
    if (lineEnd < 0) {
      return INCOMPLETE;
    }
    byte type = b[pos[0]];
    String line = new String(b, pos[0] + 1, lineEnd - pos[0] - 1, StandardCharsets.UTF_8);
    int next = lineEnd + 2;
    switch (type) {
      case '+':
        pos[0] = next;
        return line;
      case '-':
        pos[0] = next;
        return new Error(line);
      case ':':
        pos[0] = next;
        return Long.parseLong(line);
      case '$':
        {
          int n = Integer.parseInt(line);
          if (n < 0) {
            pos[0] = next;
            return null;
          }
          if (next + n + 2 > end) {
            return INCOMPLETE;
          }
          pos[0] = next + n + 2;
          return Arrays.copyOfRange(b, next, next + n);
        }
      case '*':
        {
          int n = Integer.parseInt(line);
          int[] p = {next};
          List<Object> items = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            Object item = parseOne(b, p, end);
            if (item == INCOMPLETE) {
              return INCOMPLETE;
            }
            items.add(item);
          }
          pos[0] = p[0];
          return items;
        }
      default:
        throw new IllegalStateException(
            "not a RESP reply at byte " + pos[0] + ": '" + (char) type + "' in " + line);
    }
  }

  // The index of the CR of the next CRLF at or after from, or -1.
  private static int lineEnd(byte[] b, int from, int end) {
    for (int i = from; i + 1 < end; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
