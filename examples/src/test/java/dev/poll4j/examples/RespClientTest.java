package dev.poll4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Pipe;
import dev.poll4j.Poll;
import dev.poll4j.examples.RespValue.BulkString;
import dev.poll4j.examples.RespValue.Int;
import dev.poll4j.examples.RespValue.SimpleError;
import dev.poll4j.examples.RespValue.SimpleString;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RESP client against a tiny in-process RESP server (plain blocking sockets, so that the
 * client under test is the only poll4j code), per backend. The server writes its replies a few
 * bytes at a time, so the client sees them split across reads.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RespClientTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void callsAndPipelinesAgainstAServer(String backend) throws Exception {
    try (FakeServer server = new FakeServer(true);
        BlockingRespClient c = BlockingRespClient.connect(backend, server.address(), TIMEOUT)) {
      assertEquals(new SimpleString("PONG"), c.call("PING"));
      assertEquals(new SimpleString("OK"), c.call("SET", "greeting", "hello"));
      assertEquals(bulk("hello"), c.call("GET", "greeting"));
      assertEquals(new BulkString(null), c.call("GET", "missing"));
      RespValue error = c.call("FROB", "x");
      assertEquals(new SimpleError("ERR unknown command 'FROB'"), error);
      assertEquals(new Int(1), c.call("INCR", "n"), "the connection is fine after an error");

      List<String[]> incrs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        incrs.add(new String[] {"INCR", "n"});
      }
      List<RespValue> replies = c.pipeline(incrs);
      for (int i = 0; i < 200; i++) {
        assertEquals(new Int(i + 2), replies.get(i));
      }
      assertEquals("*3\r\n$3\r\nSET\r\n$8\r\ngreeting\r\n$5\r\nhello\r\n", server.commands.get(1));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void argumentsAndRepliesAreBinarySafe(String backend) throws Exception {
    try (FakeServer server = new FakeServer(false);
        BlockingRespClient c = BlockingRespClient.connect(backend, server.address(), TIMEOUT)) {
      String tricky = "line one\r\n$3\r\n*1\r\n\u00e9";
      c.call("SET", "k", tricky);
      BulkString back = (BulkString) c.call("GET", "k");
      assertArrayEquals(tricky.getBytes(StandardCharsets.UTF_8), back.bytes());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void runsNonBlockingInTheCallersLoopNextToOtherSources(String backend) throws Exception {
    long redisToken = 10;
    long pipeToken = 20;
    try (FakeServer server = new FakeServer(true);
        Poll poll = Poll.open(backend);
        Pipe pipe = Pipe.open();
        RespClient redis = RespClient.connect(server.address())) {
      redis.register(poll.registry(), redisToken);
      poll.registry().register(pipe.reader(), pipeToken, Interest.READABLE);
      redis.send("SET", "a", "1"); // queued while connecting
      redis.send("INCR", "a");
      redis.send("GET", "a");
      assertEquals(3, redis.pendingReplies());
      pipe.writer().write(ByteBuffer.wrap(new byte[] {1}));

      Events events = Events.withCapacity(8);
      List<RespValue> replies = new ArrayList<>();
      boolean pipeSeen = false;
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (replies.size() < 3 || !pipeSeen) {
        assertTrue(System.nanoTime() - deadline < 0, "replies so far: " + replies);
        poll.poll(events, Duration.ofMillis(500));
        for (Event e : events) {
          if (e.token() == redisToken) {
            redis.handle();
          } else if (e.token() == pipeToken) {
            ByteBuffer b = ByteBuffer.allocate(8);
            while (pipe.reader().read(b) > 0) {
              b.clear();
            }
            pipeSeen = true;
          }
        }
        for (RespValue v; (v = redis.nextReply()) != null; ) {
          replies.add(v);
        }
      }
      assertEquals(List.of(new SimpleString("OK"), new Int(2), bulk("2")), replies);
      assertEquals(0, redis.pendingReplies());
      assertTrue(redis.isConnected());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void aSilentServerTimesOutAndLeavesTheConnectionBroken(String backend) throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        BlockingRespClient c = BlockingRespClient.connect(backend,
            new InetSocketAddress("127.0.0.1", silent.getLocalPort()), Duration.ofMillis(300))) {
      long t0 = System.nanoTime();
      SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> c.call("PING"));
      long waited = System.nanoTime() - t0;
      assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(300) && waited < TimeUnit.SECONDS.toNanos(3),
          "waited " + waited + " ns");
      assertTrue(e.getMessage().contains("waiting for 1 of 1 replies"), e.getMessage());
      IOException again = assertThrows(IOException.class, () -> c.call("PING"));
      assertTrue(again.getMessage().contains("broken"), again.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void aServerThatClosesOrIsNotThereFailsTheCall(String backend) throws Exception {
    try (FakeServer server = new FakeServer(false);
        BlockingRespClient c = BlockingRespClient.connect(backend, server.address(), TIMEOUT)) {
      EOFException e = assertThrows(EOFException.class, () -> c.call("QUIT-NOW"));
      assertTrue(e.getMessage().contains("closed the connection with 1 replies outstanding"),
          e.getMessage());
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertThrows(ConnectException.class, () -> BlockingRespClient.connect(backend,
        new InetSocketAddress("127.0.0.1", port), TIMEOUT));
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void formatsRepliesLikeRedisCli(String backend) {
    RespValue nested = new RespValue.Array(List.of(new Int(1),
        new RespValue.Array(List.of(bulk("a"), new BulkString(null))), new SimpleError("ERR x")));
    assertEquals("1) (integer) 1\n2) 1) \"a\"\n   2) (nil)\n3) (error) ERR x",
        BlockingRespClient.format(nested, ""));
    assertNull(new BulkString(null).utf8(), backend);
  }

  private static BulkString bulk(String s) {
    return new BulkString(s.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A RESP server for one client at a time, in the manner of Redis for PING, SET, GET, INCR;
   * QUIT-NOW closes the connection without a reply; anything else is an unknown command.
   */
  static final class FakeServer implements AutoCloseable {
    final List<String> commands = new CopyOnWriteArrayList<>();
    private final ServerSocket socket;
    private final Thread thread;
    private final Map<String, byte[]> data = new HashMap<>();
    private final boolean trickle;

    /** @param trickle write replies a few bytes at a time, to split the client's reads */
    FakeServer(boolean trickle) throws IOException {
      this.trickle = trickle;
      socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
      thread = new Thread(this::serve, "fake-resp-server");
      thread.setDaemon(true);
      thread.start();
    }

    InetSocketAddress address() {
      return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket s = socket.accept()) {
          s.setTcpNoDelay(true);
          InputStream in = new BufferedInputStream(s.getInputStream());
          OutputStream out = s.getOutputStream();
          for (List<byte[]> cmd; (cmd = readCommand(in)) != null; ) {
            String name = new String(cmd.get(0), StandardCharsets.UTF_8);
            if (name.equals("QUIT-NOW")) {
              break;
            }
            reply(out, answer(name, cmd));
          }
        } catch (IOException e) {
          // the client went away, or close() closed the socket
        }
      }
    }

    private byte[] answer(String name, List<byte[]> cmd) {
      switch (name) {
        case "PING":
          return ascii("+PONG\r\n");
        case "SET":
          data.put(new String(cmd.get(1), StandardCharsets.UTF_8), cmd.get(2));
          return ascii("+OK\r\n");
        case "GET": {
          byte[] v = data.get(new String(cmd.get(1), StandardCharsets.UTF_8));
          return v == null ? ascii("$-1\r\n")
              : TestClient.concat(ascii("$" + v.length + "\r\n"), v, ascii("\r\n"));
        }
        case "INCR": {
          String key = new String(cmd.get(1), StandardCharsets.UTF_8);
          byte[] v = data.get(key);
          long n = v == null ? 1 : Long.parseLong(new String(v, StandardCharsets.UTF_8)) + 1;
          data.put(key, ascii(Long.toString(n)));
          return ascii(":" + n + "\r\n");
        }
        default:
          return ascii("-ERR unknown command '" + name + "'\r\n");
      }
    }

    private void reply(OutputStream out, byte[] bytes) throws IOException {
      if (!trickle) {
        out.write(bytes);
        return;
      }
      for (int at = 0; at < bytes.length; at += 3) {
        out.write(bytes, at, Math.min(3, bytes.length - at));
        out.flush();
      }
    }

    // Reads "*N\r\n" and N bulk strings, and records the command's bytes; null at the end.
    private List<byte[]> readCommand(InputStream in) throws IOException {
      String header = line(in);
      if (header == null) {
        return null;
      }
      StringBuilder raw = new StringBuilder(header).append("\r\n");
      int n = Integer.parseInt(header.substring(1));
      List<byte[]> args = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String len = line(in);
        byte[] arg = in.readNBytes(Integer.parseInt(len.substring(1)) + 2);
        raw.append(len).append("\r\n").append(new String(arg, StandardCharsets.ISO_8859_1));
        args.add(java.util.Arrays.copyOf(arg, arg.length - 2));
      }
      commands.add(raw.toString());
      return args;
    }

    private static String line(InputStream in) throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int b; (b = in.read()) != -1; ) {
        if (b == '\n') {
          return sb.substring(0, sb.length() - 1); // drop the CR
        }
        sb.append((char) b);
      }
      return null;
    }

    private static byte[] ascii(String s) {
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
      socket.close();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
