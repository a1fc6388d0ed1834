package dev.poll4j.it.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Poll;
import dev.poll4j.examples.BlockingRespClient;
import dev.poll4j.examples.RespClient;
import dev.poll4j.examples.RespValue;
import dev.poll4j.examples.RespValue.Array;
import dev.poll4j.examples.RespValue.BulkString;
import dev.poll4j.examples.RespValue.Int;
import dev.poll4j.examples.RespValue.SimpleError;
import dev.poll4j.examples.RespValue.SimpleString;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The examples' RESP clients against a real {@code redis-server} (Debian package {@code
 * redis-server}), started by each test on 127.0.0.1 and a free port, without persistence, on
 * each backend.
 */
@Tag("peers")
@DisabledOnOs(
    value = OS.WINDOWS,
    disabledReason = "the peers are Debian programs found on a Unix PATH, started with /dev/null"
        + " as input and watched through /proc/net, and the backends are epoll and poll")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedisPeerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private Peer.Listening redis() throws Exception {
    String binary = Peer.require("redis-server", "redis-server");
    return Peer.listen("redis-server", false, port -> List.of(binary, "--port",
        Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", dir.toString(), "--daemonize", "no"));
  }

  private static BlockingRespClient connect(String backend, Peer.Listening redis)
      throws IOException {
    return BlockingRespClient.connect(backend, new InetSocketAddress("127.0.0.1", redis.port()),
        TIMEOUT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "poll"})
  void pipelinedSetGetIncr(String backend) throws Exception {
    try (Peer.Listening redis = redis(); BlockingRespClient c = connect(backend, redis)) {
      List<String[]> commands = new ArrayList<>();
      commands.add(new String[] {"SET", "greeting", "hello, redis"});
      commands.add(new String[] {"GET", "greeting"});
      for (int i = 0; i < 1_000; i++) {
        commands.add(new String[] {"INCR", "counter"});
      }
      commands.add(new String[] {"GET", "counter"});
      commands.add(new String[] {"GET", "no such key"});
      List<RespValue> replies = c.pipeline(commands);
      assertEquals(commands.size(), replies.size());
      assertEquals(new SimpleString("OK"), replies.get(0));
      assertEquals(bulk("hello, redis"), replies.get(1));
      for (int i = 0; i < 1_000; i++) {
        assertEquals(new Int(i + 1), replies.get(2 + i));
      }
      assertEquals(bulk("1000"), replies.get(1_002));
      assertEquals(new BulkString(null), replies.get(1_003));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "poll"})
  void errorRepliesLeaveTheConnectionUsable(String backend) throws Exception {
    try (Peer.Listening redis = redis(); BlockingRespClient c = connect(backend, redis)) {
      assertEquals(new Int(1), c.call("LPUSH", "list", "a"));
      SimpleError wrongType = (SimpleError) c.call("INCR", "list");
      assertEquals("WRONGTYPE", wrongType.kind(), wrongType.message());
      SimpleError unknown = (SimpleError) c.call("NOSUCHCOMMAND", "x");
      assertEquals("ERR", unknown.kind());
      assertTrue(unknown.message().contains("unknown command"), unknown.message());
      SimpleError arity = (SimpleError) c.call("GET");
      assertTrue(arity.message().contains("wrong number of arguments"), arity.message());
      c.call("SET", "n", "abc");
      SimpleError notInt = (SimpleError) c.call("INCR", "n");
      assertTrue(notInt.message().contains("not an integer"), notInt.message());
      assertEquals(new SimpleString("PONG"), c.call("PING"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "poll"})
  void arraysNullsNestingAndBinaryValues(String backend) throws Exception {
    try (Peer.Listening redis = redis(); BlockingRespClient c = connect(backend, redis)) {
      c.call("RPUSH", "letters", "a", "b", "c");
      assertEquals(new Array(List.of(bulk("a"), bulk("b"), bulk("c"))),
          c.call("LRANGE", "letters", "0", "-1"));
      c.call("SET", "k", "v");
      assertEquals(new Array(List.of(bulk("v"), new BulkString(null))),
          c.call("MGET", "k", "missing"));
      assertEquals(new Array(List.of()), c.call("LRANGE", "missing", "0", "-1"));
      // Every kind of reply, nested, from a Lua script.
      assertEquals(new Array(List.of(new Int(1), new Array(List.of(new Int(2), bulk("three"))),
              new SimpleString("OK"), new SimpleError("MY error"))),
          c.call("EVAL", "return {1, {2, 'three'}, redis.status_reply('OK'),"
              + " redis.error_reply('MY error')}", "0"));
      // Binary-safe both ways, and large enough to arrive in many reads.
      byte[] value = new byte[3 << 20];
      new Random(3).nextBytes(value);
      value[0] = '\r';
      value[1] = '\n';
      byte[] key = "binary\r\n\0key".getBytes(StandardCharsets.ISO_8859_1);
      assertEquals(new SimpleString("OK"), c.call(List.of(ascii("SET"), key, value)));
      BulkString back = (BulkString) c.call(List.of(ascii("GET"), key));
      assertArrayEquals(value, back.bytes());
      assertEquals(new Int(value.length), c.call(List.of(ascii("STRLEN"), key)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "poll"})
  void manyNonBlockingClientsShareOneEventLoop(String backend) throws Exception {
    int clients = 8;
    int each = 250;
    try (Peer.Listening redis = redis(); Poll poll = Poll.open(backend)) {
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", redis.port());
      List<RespClient> all = new ArrayList<>();
      try {
        for (int i = 0; i < clients; i++) {
          RespClient c = RespClient.connect(address);
          all.add(c);
          c.register(poll.registry(), i);
          for (int k = 0; k < each; k++) {
            c.send("INCR", "shared"); // queued while connecting, then pipelined
          }
        }
        long[] last = new long[clients];
        Events events = Events.withCapacity(16);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (all.stream().anyMatch(c -> c.pendingReplies() > 0)) {
          assertTrue(System.nanoTime() - deadline < 0, "replies still pending");
          poll.poll(events, Duration.ofSeconds(1));
          for (Event e : events) {
            RespClient c = all.get((int) e.token());
            c.handle();
            for (RespValue v; (v = c.nextReply()) != null; ) {
              long n = ((Int) v).value();
              assertTrue(n > last[(int) e.token()], "one client's replies increase");
              last[(int) e.token()] = n;
            }
          }
        }
      } finally {
        for (RespClient c : all) {
          c.close();
        }
      }
      try (BlockingRespClient check = connect(backend, redis)) {
        assertEquals(bulk(Integer.toString(clients * each)), check.call("GET", "shared"));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "poll"})
  void aServerThatClosesTheConnectionEndsTheStream(String backend) throws Exception {
    try (Peer.Listening redis = redis(); BlockingRespClient c = connect(backend, redis)) {
      assertEquals(new SimpleString("OK"), c.call("QUIT")); // redis answers, then closes
      // Depending on timing, the client has read the end of stream by now (EOF), or sends
      // into the closed connection and the kernel answers with a reset, or refuses the write.
      IOException e = assertThrows(IOException.class, () -> c.call("PING"));
      assertTrue(e.getMessage().matches(
          "(?s).*(the server closed the connection|Connection reset|EPIPE).*"), e.toString());
    }
  }

  private static BulkString bulk(String s) {
    return new BulkString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
