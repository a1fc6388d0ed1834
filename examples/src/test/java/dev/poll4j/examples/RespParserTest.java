package dev.poll4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.examples.RespValue.Array;
import dev.poll4j.examples.RespValue.BulkString;
import dev.poll4j.examples.RespValue.Int;
import dev.poll4j.examples.RespValue.SimpleError;
import dev.poll4j.examples.RespValue.SimpleString;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RESP parser on canned byte sequences, whole and split at every possible point. */
class RespParserTest {
  // A pipeline of replies covering every kind, with a bulk string that holds CRLF and a nested,
  // mixed array; and what it must parse to.
  private static final String WIRE = "+OK\r\n"
      + "-ERR unknown command 'FOO'\r\n"
      + ":42\r\n"
      + ":-9223372036854775808\r\n"
      + "$5\r\nhello\r\n"
      + "$0\r\n\r\n"
      + "$-1\r\n"
      + "$4\r\na\r\nb\r\n"
      + "*0\r\n"
      + "*-1\r\n"
      + "*3\r\n:1\r\n*2\r\n$1\r\nx\r\n$-1\r\n-WRONGTYPE not a list\r\n"
      + "+caf\u00e9\r\n";
  private static final List<RespValue> EXPECTED = List.of(
      new SimpleString("OK"),
      new SimpleError("ERR unknown command 'FOO'"),
      new Int(42),
      new Int(Long.MIN_VALUE),
      bulk("hello"),
      bulk(""),
      new BulkString(null),
      bulk("a\r\nb"),
      new Array(List.of()),
      new Array(null),
      new Array(List.of(new Int(1), new Array(List.of(bulk("x"), new BulkString(null))),
          new SimpleError("WRONGTYPE not a list"))),
      new SimpleString("caf\u00e9"));

  @Test
  void parsesAPipelineOfEveryKindInOneBuffer() throws Exception {
    assertEquals(EXPECTED, parseAll(new RespParser(), bytes(WIRE), bytes(WIRE).length));
  }

  @Test
  void parsesTheSameWhenTheBytesAreSplitAtAnyPoint() throws Exception {
    byte[] wire = bytes(WIRE);
    for (int cut = 1; cut < wire.length; cut++) {
      RespParser p = new RespParser();
      List<RespValue> got = new ArrayList<>();
      ByteBuffer first = ByteBuffer.wrap(wire, 0, cut);
      for (RespValue v; (v = p.parse(first)) != null; ) {
        got.add(v);
      }
      assertFalse(first.hasRemaining(), "parse takes every byte it is given");
      ByteBuffer second = ByteBuffer.wrap(wire, cut, wire.length - cut);
      for (RespValue v; (v = p.parse(second)) != null; ) {
        got.add(v);
      }
      assertEquals(EXPECTED, got, "cut at " + cut);
      assertFalse(p.inReply());
    }
  }

  @Test
  void parsesTheSameOneByteAtATime() throws Exception {
    assertEquals(EXPECTED, parseAll(new RespParser(), bytes(WIRE), 1));
  }

  @Test
  void reportsAReplyInProgress() throws Exception {
    RespParser p = new RespParser();
    assertNull(p.parse(ByteBuffer.wrap(bytes("*2\r\n:1\r\n$3\r\nab"))));
    assertTrue(p.inReply());
    RespValue v = p.parse(ByteBuffer.wrap(bytes("c\r\n")));
    assertEquals(new Array(List.of(new Int(1), bulk("abc"))), v);
    assertFalse(p.inReply());
  }

  @Test
  void rejectsWhatIsNotResp() {
    assertMalformed("?what\r\n", "unknown RESP type byte 0x3f");
    assertMalformed("\r\n", "empty RESP line");
    assertMalformed(":12a\r\n", "malformed RESP integer: \"12a\"");
    assertMalformed("$x\r\n", "malformed RESP bulk string length");
    assertMalformed("$-2\r\n", "bulk string length not in -1..");
    assertMalformed("$3\r\nabcd\r\n", "not followed by CRLF");
    assertMalformed("*-5\r\n", "array length not in -1..");
    assertMalformed("$" + (RespParser.MAX_BULK + 1L) + "\r\n", "bulk string length not in");
    assertMalformed("+" + "x".repeat(RespParser.MAX_LINE + 1) + "\r\n", "RESP line over");
    assertMalformed("*1\r\n".repeat(RespParser.MAX_DEPTH + 1), "nested over 64 deep");
  }

  @Test
  void acceptsTheLongestLineAndTheDeepestNesting() throws Exception {
    String longest = "x".repeat(RespParser.MAX_LINE - 1); // plus the type byte: MAX_LINE
    assertEquals(List.of(new SimpleString(longest)),
        parseAll(new RespParser(), bytes("+" + longest + "\r\n"), 1000));
    RespValue v = new RespParser().parse(
        ByteBuffer.wrap(bytes("*1\r\n".repeat(RespParser.MAX_DEPTH) + ":7\r\n")));
    for (int i = 0; i < RespParser.MAX_DEPTH; i++) {
      v = ((Array) v).elements().get(0);
    }
    assertEquals(new Int(7), v);
  }

  @Test
  void valuesSayWhatTheyAre() {
    assertEquals("WRONGTYPE", new SimpleError("WRONGTYPE Operation against a key").kind());
    assertEquals("ERR", new SimpleError("ERR").kind());
    assertTrue(new SimpleError("ERR").isError());
    assertFalse(bulk("x").isError());
    assertTrue(new BulkString(null).isNull());
    assertEquals("BulkString[hi]", bulk("hi").toString());
    assertEquals(bulk("hi").hashCode(), bulk("hi").hashCode());
    assertThrows(NullPointerException.class,
        () -> new Array(Arrays.asList(new Int(1), null)));
  }

  private static void assertMalformed(String wire, String message) {
    ProtocolException e = assertThrows(ProtocolException.class,
        () -> parseAll(new RespParser(), bytes(wire), 7));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  // Feeds the bytes in pieces of 'piece' bytes and collects every reply.
  private static List<RespValue> parseAll(RespParser p, byte[] wire, int piece)
      throws ProtocolException {
    List<RespValue> got = new ArrayList<>();
    for (int at = 0; at < wire.length; at += piece) {
      ByteBuffer b = ByteBuffer.wrap(wire, at, Math.min(piece, wire.length - at));
      for (RespValue v; (v = p.parse(b)) != null; ) {
        got.add(v);
      }
      assertFalse(b.hasRemaining());
    }
    return got;
  }

  private static BulkString bulk(String s) {
    return new BulkString(bytes(s));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
