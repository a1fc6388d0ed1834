package dev.poll4j.examples;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A reply in RESP, the Redis serialization protocol (version 2): one of five kinds, each a
 * record. {@link RespParser} makes them from bytes; {@link RespClient} hands them out.
 *
 * <table>
 *   <caption>Kinds</caption>
 *   <tr><th>first byte</th><th>kind</th><th>example on the wire</th></tr>
 *   <tr><td>{@code +}</td><td>{@link SimpleString}</td><td>{@code +OK\r\n}</td></tr>
 *   <tr><td>{@code -}</td><td>{@link SimpleError}</td><td>{@code -ERR unknown command\r\n}</td></tr>
 *   <tr><td>{@code :}</td><td>{@link Int}</td><td>{@code :42\r\n}</td></tr>
 *   <tr><td>{@code $}</td><td>{@link BulkString}</td><td>{@code $5\r\nhello\r\n}, null: {@code
 *       $-1\r\n}</td></tr>
 *   <tr><td>{@code *}</td><td>{@link Array}</td><td>{@code *2\r\n:1\r\n:2\r\n}, null: {@code
 *       *-1\r\n}</td></tr>
 * </table>
 */
public sealed interface RespValue
    permits RespValue.SimpleString, RespValue.SimpleError, RespValue.Int, RespValue.BulkString,
        RespValue.Array {

  /**
   * Whether this is an error reply.
   *
   * @return true for a {@link SimpleError}
   */
  default boolean isError() {
    return this instanceof SimpleError;
  }

  /**
   * A status line, such as {@code OK} or {@code PONG}.
   *
   * @param value the text, without its CRLF
   */
  record SimpleString(String value) implements RespValue {
    /**
     * Checks the value.
     *
     * @param value the text
     * @throws NullPointerException if {@code value} is null
     */
    public SimpleString {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * An error reply, such as {@code ERR unknown command 'FOO'} or {@code WRONGTYPE Operation
   * against a key holding the wrong kind of value}.
   *
   * @param message the text, without its CRLF
   */
  record SimpleError(String message) implements RespValue {
    /**
     * Checks the message.
     *
     * @param message the text
     * @throws NullPointerException if {@code message} is null
     */
    public SimpleError {
      Objects.requireNonNull(message, "message");
    }

    /**
     * The error's kind: its first word, by Redis's convention, such as {@code ERR} or {@code
     * WRONGTYPE}.
     *
     * @return the first word
     */
    public String kind() {
      int space = message.indexOf(' ');
      return space < 0 ? message : message.substring(0, space);
    }
  }

  /**
   * A signed 64-bit integer, such as the result of {@code INCR}.
   *
   * @param value the number
   */
  record Int(long value) implements RespValue {}

  /**
   * A binary-safe string, or the null bulk string (a missing key's {@code GET}).
   *
   * @param bytes the content, or null for the null bulk string; not copied, do not modify
   */
  record BulkString(byte[] bytes) implements RespValue {
    /**
     * The content as UTF-8 text.
     *
     * @return the text, or null for the null bulk string
     */
    public String utf8() {
      return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Whether this is the null bulk string.
     *
     * @return true if null
     */
    public boolean isNull() {
      return bytes == null;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BulkString b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return bytes == null ? "BulkString[null]" : "BulkString[" + utf8() + "]";
    }
  }

  /**
   * An ordered list of replies, possibly nested, or the null array.
   *
   * @param elements the elements, unmodifiable, or null for the null array
   */
  record Array(List<RespValue> elements) implements RespValue {
    /**
     * Takes an unmodifiable copy of the elements.
     *
     * @param elements the elements, or null for the null array
     * @throws NullPointerException if an element is null
     */
    public Array {
      elements = elements == null ? null : List.copyOf(elements);
    }

    /**
     * Whether this is the null array.
     *
     * @return true if null
     */
    public boolean isNull() {
      return elements == null;
    }
  }
}
