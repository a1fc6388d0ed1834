package dev.poll4j.containers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A real redis-server (Debian's, in the {@code redis} image, bound to 127.0.0.1 on the host's
 * network) and poll4j clients on the host that pipeline RESP commands through {@link Wire}:
 * edge-triggered, with small socket buffers so that writes would block and replies arrive in
 * pieces.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisPeerIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static GenericContainer<?> redis;
  private static InetSocketAddress address;

  @BeforeAll
  static void startRedis() throws IOException {
    String tag = Containers.image("redis");
    int port = Containers.freePort();
    redis =
        new GenericContainer<>(DockerImageName.parse(tag))
            .withImagePullPolicy(name -> false)
            .withNetworkMode("host")
            .withCommand(
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes")
            .waitingFor(
                Wait.forLogMessage(".*Ready to accept connections.*\\n", 1)
                    .withStartupTimeout(Duration.ofMinutes(1)));
    redis.start();
    address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.stop();
    }
  }

  @Test
  void twentyThousandPipelinedCommandsAreAnsweredInOrder() throws IOException {
    int n = 5000;
    try (Wire wire = new Wire()) {
      Wire.Conn c = wire.connect(address, 8 * 1024);
      c.send(Resp.command("DEL", "pipeline:counter"));
      for (int i = 0; i < n; i++) {
        c.send(Resp.command("SET", "pipeline:" + i, value(i)));
      }
      for (int i = 0; i < n; i++) {
        c.send(Resp.command("GET", "pipeline:" + i));
      }
      for (int i = 0; i < n; i++) {
        c.send(Resp.command("INCR", "pipeline:counter"));
      }
      for (int i = 0; i < n; i++) {
        c.send(Resp.command("PING"));
      }
      List<Object> replies = new ArrayList<>();
      wire.runUntil(
          () -> {
            Resp.parse(c, replies);
            return replies.size() == 4 * n + 1;
          },
          LIMIT,
          "replies: " + replies.size());
      for (int i = 0; i < n; i++) {
        assertEquals("OK", replies.get(1 + i), "SET " + i);
        assertEquals(
            value(i),
            new String((byte[]) replies.get(1 + n + i), StandardCharsets.UTF_8),
            "GET " + i);
        assertEquals((long) i + 1, replies.get(1 + 2 * n + i), "INCR " + i);
        assertEquals("PONG", replies.get(1 + 3 * n + i), "PING " + i);
      }
      assertTrue(
          c.wouldBlockWrites > 0, "no write would block; buffers too large to test that path");
      assertTrue(c.reads > 1, "replies came in " + c.reads + " read(s)");
      System.out.printf(
          "redis (%s): %d pipelined commands, %d would-block writes, %d readable events, %d"
              + " bytes%n",
          wire.backend(), 4 * n + 1, c.wouldBlockWrites, c.readEvents, c.received);
    }
  }

  @Test
  void sixteenConnectionsPipelineAtOnceOnOnePoll() throws IOException {
    int conns = 16;
    int each = 1000;
    try (Wire wire = new Wire()) {
      List<Wire.Conn> cs = new ArrayList<>();
      List<List<Object>> replies = new ArrayList<>();
      try (Wire setup = new Wire()) {
        Wire.Conn c = setup.connect(address, 0);
        c.send(Resp.command("DEL", "shared:counter"));
        List<Object> r = new ArrayList<>();
        setup.runUntil(
            () -> {
              Resp.parse(c, r);
              return r.size() == 1;
            },
            LIMIT,
            "DEL");
      }
      for (int k = 0; k < conns; k++) {
        Wire.Conn c = wire.connect(address, 16 * 1024);
        c.send(Resp.command("DEL", "list:" + k));
        for (int i = 0; i < each; i++) {
          c.send(Resp.command("INCR", "shared:counter"));
          c.send(Resp.command("RPUSH", "list:" + k, String.valueOf(i)));
        }
        c.send(Resp.command("LRANGE", "list:" + k, "0", "-1"));
        cs.add(c);
        replies.add(new ArrayList<>());
      }
      int expected = 2 + 2 * each;
      wire.runUntil(
          () -> {
            boolean all = true;
            for (int k = 0; k < conns; k++) {
              Resp.parse(cs.get(k), replies.get(k));
              all &= replies.get(k).size() == expected;
            }
            return all;
          },
          LIMIT,
          "16 pipelines");
      Set<Long> counters = new HashSet<>();
      for (int k = 0; k < conns; k++) {
        List<Object> r = replies.get(k);
        long last = 0;
        for (int i = 0; i < each; i++) {
          long v = (Long) r.get(1 + 2 * i);
          assertTrue(v > last, "INCR replies of one connection increase: " + last + " then " + v);
          last = v;
          counters.add(v);
          assertEquals((long) i + 1, r.get(2 + 2 * i), "RPUSH " + i + " on connection " + k);
        }
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) r.get(expected - 1);
        assertEquals(each, list.size(), "LRANGE of connection " + k);
        for (int i = 0; i < each; i++) {
          assertEquals(String.valueOf(i), new String((byte[]) list.get(i), StandardCharsets.UTF_8));
        }
      }
      assertEquals(conns * each, counters.size(), "distinct INCR results across connections");
    }
  }

  @Test
  void aFourMebibyteBinaryValueRoundTrips() throws IOException {
    byte[] big = new byte[4 << 20];
    new Random(6).nextBytes(big);
    try (Wire wire = new Wire()) {
      Wire.Conn c = wire.connect(address, 32 * 1024);
      c.send(
          Resp.command(
              "SET".getBytes(StandardCharsets.US_ASCII),
              "big".getBytes(StandardCharsets.US_ASCII),
              big));
      c.send(Resp.command("GET", "big"));
      c.send(Resp.command("DEL", "big"));
      List<Object> replies = new ArrayList<>();
      wire.runUntil(
          () -> {
            Resp.parse(c, replies);
            return replies.size() == 3;
          },
          LIMIT,
          "SET/GET big");
      assertEquals("OK", replies.get(0));
      assertArrayEquals(big, (byte[]) replies.get(1), "GET big");
      assertEquals(1L, replies.get(2));
      assertTrue(
          c.wouldBlockWrites > 0 && c.reads > 1,
          c.wouldBlockWrites + " would-block writes, " + c.reads + " reads");
    }
  }

  @Test
  void errorRepliesKeepThePipelineInStep() throws IOException {
    try (Wire wire = new Wire()) {
      Wire.Conn c = wire.connect(address, 0);
      c.send(Resp.command("SET", "text", "abc"));
      c.send(Resp.command("INCR", "text"));
      c.send(Resp.command("NOSUCHCOMMAND", "x"));
      c.send(Resp.command("ECHO", "still in step"));
      List<Object> replies = new ArrayList<>();
      wire.runUntil(
          () -> {
            Resp.parse(c, replies);
            return replies.size() == 4;
          },
          LIMIT,
          "4 replies");
      assertEquals("OK", replies.get(0));
      assertTrue(replies.get(1) instanceof Resp.Error, "INCR of text: " + replies.get(1));
      assertTrue(replies.get(2) instanceof Resp.Error, "unknown command: " + replies.get(2));
      assertEquals("still in step", new String((byte[]) replies.get(3), StandardCharsets.UTF_8));
    }
  }

  private static String value(int i) {
    return "value-" + i + "-" + "x".repeat(i % 200);
  }
}
