package dev.poll4j.examples;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * An incremental parser of RESP2 replies: feed it bytes as they arrive, in pieces of any size,
 * and it returns each reply once its last byte is in. It keeps its state between calls, so a
 * reply split over many reads (say, a large array) is parsed once, not again with each piece.
 *
 * <pre>{@code
 * RespParser parser = new RespParser();
 * buffer.flip();                                   // bytes read from the server
 * for (RespValue v; (v = parser.parse(buffer)) != null; ) {
 *   handle(v);                                     // replies in the order they came
 * }
 * buffer.compact();                                // parse() took every byte it was given
 * }</pre>
 *
 * <p>Limits, checked as the bytes arrive: lines (simple strings, errors, integers, lengths) of
 * at most {@value #MAX_LINE} bytes, bulk strings of at most {@value #MAX_BULK} bytes, arrays of
 * at most {@value #MAX_ARRAY} elements nested at most {@value #MAX_DEPTH} deep. Anything
 * malformed or over a limit throws a {@link ProtocolException}, after which the connection is
 * out of step and should be closed. Not thread-safe.
 */
public final class RespParser {
  /** The longest line accepted, CRLF excluded. */
  public static final int MAX_LINE = 64 * 1024;
  /** The largest bulk string accepted. */
  public static final int MAX_BULK = 64 * 1024 * 1024;
  /** The most elements an array may declare. */
  public static final int MAX_ARRAY = 1 << 24;
  /** The deepest nesting of arrays accepted. */
  public static final int MAX_DEPTH = 64;

  // The line read so far, without its end.
  private byte[] line = new byte[64];
  private int lineLength;
  // The bulk string being read: its bytes and CRLF, and how much of it is in; null when not
  // inside a bulk string.
  private byte[] bulk;
  private int bulkFilled;
  // The arrays still being filled, innermost last.
  private final ArrayDeque<Frame> frames = new ArrayDeque<>();

  /** Creates a parser at the start of a reply. */
  public RespParser() {}

  /**
   * Consumes bytes from {@code src} until a reply is complete, and returns it; or consumes all
   * of {@code src} and returns null when the reply is not complete yet.
   *
   * @param src bytes from the server, from position to limit; the position advances past what
   *     was consumed
   * @return the next complete reply, or null if more bytes are needed
   * @throws ProtocolException if the bytes are not RESP2, or exceed a limit
   */
  public RespValue parse(ByteBuffer src) throws ProtocolException {
    for (;;) {
      RespValue v;
      if (bulk != null) {
        v = continueBulk(src);
      } else {
        if (!readLine(src)) {
          return null;
        }
        v = startValue();
      }
      if (v == null) { // an array or a bulk string began, or a bulk string needs more bytes
        if (bulk != null && !src.hasRemaining()) {
          return null;
        }
        continue;
      }
      // A value is complete: it is the reply, or the next element of the innermost array.
      for (;;) {
        Frame f = frames.peekLast();
        if (f == null) {
          return v;
        }
        f.elements[f.filled++] = v;
        if (f.filled < f.elements.length) {
          break;
        }
        frames.removeLast();
        v = new RespValue.Array(Arrays.asList(f.elements));
      }
    }
  }

  /**
   * Whether the parser is in the middle of a reply: some of its bytes were consumed, and it is
   * not complete.
   *
   * @return true if a reply is partly parsed
   */
  public boolean inReply() {
    return lineLength > 0 || bulk != null || !frames.isEmpty();
  }

  // Reads up to and including "\r\n"; true when a whole line is in 'line'.
  private boolean readLine(ByteBuffer src) throws ProtocolException {
    while (src.hasRemaining()) {
      byte b = src.get();
      if (b == '\n' && lineLength > 0 && line[lineLength - 1] == '\r') {
        lineLength--; // drop the CR; the caller resets lineLength once it used the line
        return true;
      }
      if (lineLength == MAX_LINE + 1) { // room for the CR of a line of MAX_LINE bytes
        throw new ProtocolException("RESP line over " + MAX_LINE + " bytes");
      }
      if (lineLength == line.length) {
        line = Arrays.copyOf(line, Math.min(line.length * 2, MAX_LINE + 1));
      }
      line[lineLength++] = b;
    }
    return false;
  }

  // Starts a value from the line just read: a whole value, or null when an array or a bulk
  // string begins.
  private RespValue startValue() throws ProtocolException {
    if (lineLength == 0) {
      throw new ProtocolException("empty RESP line");
    }
    byte type = line[0];
    String text = new String(line, 1, lineLength - 1, StandardCharsets.UTF_8);
    lineLength = 0;
    switch (type) {
      case '+':
        return new RespValue.SimpleString(text);
      case '-':
        return new RespValue.SimpleError(text);
      case ':':
        return new RespValue.Int(number(text, "integer"));
      case '$': {
        long n = number(text, "bulk string length");
        if (n == -1) {
          return new RespValue.BulkString(null);
        }
        if (n < 0 || n > MAX_BULK) {
          throw new ProtocolException("RESP bulk string length not in -1.." + MAX_BULK + ": " + n);
        }
        bulk = new byte[(int) n + 2]; // the bytes and their CRLF
        bulkFilled = 0;
        return null;
      }
      case '*': {
        long n = number(text, "array length");
        if (n == -1) {
          return new RespValue.Array(null);
        }
        if (n < 0 || n > MAX_ARRAY) {
          throw new ProtocolException("RESP array length not in -1.." + MAX_ARRAY + ": " + n);
        }
        if (n == 0) {
          return new RespValue.Array(List.of());
        }
        if (frames.size() == MAX_DEPTH) {
          throw new ProtocolException("RESP arrays nested over " + MAX_DEPTH + " deep");
        }
        frames.addLast(new Frame((int) n));
        return null;
      }
      default:
        throw new ProtocolException(String.format("unknown RESP type byte 0x%02x in line \"%s\"",
            type & 0xff, (char) type + text));
    }
  }

  // Copies bulk string bytes; the value once all of them and the CRLF are in, else null.
  private RespValue continueBulk(ByteBuffer src) throws ProtocolException {
    int n = Math.min(bulk.length - bulkFilled, src.remaining());
    src.get(bulk, bulkFilled, n);
    bulkFilled += n;
    if (bulkFilled < bulk.length) {
      return null;
    }
    if (bulk[bulk.length - 2] != '\r' || bulk[bulk.length - 1] != '\n') {
      throw new ProtocolException("RESP bulk string not followed by CRLF");
    }
    byte[] content = Arrays.copyOf(bulk, bulk.length - 2);
    bulk = null;
    return new RespValue.BulkString(content);
  }

  private static long number(String text, String what) throws ProtocolException {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new ProtocolException("malformed RESP " + what + ": \"" + text + "\"");
    }
  }

  /** An array being filled. */
  private static final class Frame {
    final RespValue[] elements;
    int filled;

    Frame(int size) {
      elements = new RespValue[size];
    }
  }
}
