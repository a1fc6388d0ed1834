package dev.poll4j.it.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Poll;
import dev.poll4j.examples.EchoServer;
import dev.poll4j.examples.LoadGenerator;
import dev.poll4j.net.TcpListener;
import dev.poll4j.net.TcpStream;
import dev.poll4j.net.UdpSocket;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * socat (Debian package {@code socat}) as a TCP and UDP peer of poll4j sockets, on each backend:
 * socat as a client of the examples' {@link EchoServer}, the {@link LoadGenerator} against
 * socat as an echo server, socat sending to a {@link TcpListener}, and UDP both ways.
 */
@Tag("peers")
@DisabledOnOs(
    value = OS.WINDOWS,
    disabledReason = "the peers are Debian programs found on a Unix PATH, started with /dev/null"
        + " as input and watched through /proc/net, and the backends are epoll and poll")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SocatPeerTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);
  private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

  private static String socat() {
    return Peer.require("socat", "socat");
  }

  private static Path randomFile(Path dir, int size) throws Exception {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return Files.write(dir.resolve("data-" + size), bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "poll"})
  void socatPipesAMebibyteThroughOurEchoServer(String backend, @TempDir Path dir)
      throws Exception {
    Path data = randomFile(dir, 1 << 20);
    try (EchoServer server = EchoServer.start(backend, LOOPBACK_ANY_PORT)) {
      // socat sends the file, shuts down its output at the end, and prints what comes back
      // until the server closes (-t: how long it waits for that after its own end).
      Peer.Run r = Peer.run(LIMIT, data, List.of(socat(), "-t", "15", "-",
          "TCP:127.0.0.1:" + server.address().getPort())).expectSuccess();
      assertArrayEquals(Files.readAllBytes(data), r.stdout());
      assertEquals(1 << 20, server.bytesEchoed());
      assertEquals(0, server.connectionErrors());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "poll"})
  void loadGeneratorAgainstSocatAsTheEchoServer(String backend) throws Exception {
    // PIPE: what socat reads from a connection it writes back to it; fork: one per connection.
    try (Peer.Listening echo = Peer.listen("socat-echo", false, port -> List.of(socat(),
        "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork", "PIPE"))) {
      LoadGenerator.Result r = LoadGenerator.run(
          LoadGenerator.Options.of(new InetSocketAddress("127.0.0.1", echo.port()))
              .withBackend(backend).withConnections(4).withMessageSize(512)
              .withDuration(Duration.ofMillis(500)),
          null);
      assertEquals(backend, r.backend());
      assertTrue(r.roundTrips() > 10, "round trips: " + r.roundTrips());
      assertTrue(echo.peer().isAlive(), echo.peer().output());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "poll"})
  void socatSendsAFileToOurListener(String backend, @TempDir Path dir) throws Exception {
    Path data = randomFile(dir, 3 << 20);
    try (Poll poll = Poll.open(backend);
        TcpListener listener = TcpListener.bind(LOOPBACK_ANY_PORT)) {
      poll.registry().register(listener, 1, Interest.READABLE);
      try (Peer sender = Peer.start("socat-send", List.of(socat(), "-u",
          "OPEN:" + data, "TCP:127.0.0.1:" + listener.localAddress().getPort()))) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        Events events = Events.withCapacity(8);
        TcpStream stream = null;
        boolean done = false;
        long deadline = System.nanoTime() + LIMIT.toNanos();
        try {
          while (!done) {
            assertTrue(System.nanoTime() - deadline < 0, "received " + received.size());
            poll.poll(events, Duration.ofSeconds(1));
            for (Event e : events) {
              if (e.token() == 1) {
                for (TcpStream s; (s = listener.accept()) != null; ) { // edge: accept to null
                  assertTrue(stream == null, "one connection only");
                  stream = s;
                  poll.registry().register(stream, 2, Interest.READABLE);
                }
              }
            }
            // Read until would-block (0) or the end (-1): the drain rule of edge mode.
            for (int n; stream != null && (n = stream.read(buffer.clear())) != 0; ) {
              if (n < 0) {
                done = true;
                break;
              }
              byte[] chunk = new byte[n];
              buffer.flip().get(chunk);
              received.writeBytes(chunk);
            }
          }
        } finally {
          if (stream != null) {
            stream.close();
          }
        }
        assertEquals(0, sender.waitFor(LIMIT), sender.output());
        assertArrayEquals(Files.readAllBytes(data), received.toByteArray());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "poll"})
  void ourUdpSocketTalksToSocatAsAUdpEchoServer(String backend) throws Exception {
    try (Peer.Listening echo = Peer.listen("socat-udp-echo", true, port -> List.of(socat(),
            "-T", "10", "UDP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr", "PIPE"));
        Poll poll = Poll.open(backend);
        UdpSocket socket = UdpSocket.bind(LOOPBACK_ANY_PORT)) {
      InetSocketAddress peer = new InetSocketAddress("127.0.0.1", echo.port());
      poll.registry().register(socket, 1, Interest.READABLE);
      Set<String> expected = new HashSet<>();
      Set<String> received = new HashSet<>();
      ByteBuffer in = ByteBuffer.allocate(2048);
      Events events = Events.withCapacity(8);
      // The first datagram makes socat's UDP-LISTEN take us as its peer: send it alone first.
      for (int i = 0; i < 20; i++) {
        String text = "datagram " + i + " " + "x".repeat(i * 50);
        expected.add(text);
        assertEquals(text.length(),
            socket.sendTo(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), peer));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.size() <= i) {
          assertTrue(System.nanoTime() - deadline < 0, "echoes so far: " + received.size());
          poll.poll(events, Duration.ofSeconds(1));
          for (InetSocketAddress from; (from = socket.recvFrom(in.clear())) != null; ) {
            assertEquals(peer, from);
            received.add(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
          }
        }
      }
      assertEquals(expected, received);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "poll"})
  void socatSendsDatagramsToOurUdpSocket(String backend, @TempDir Path dir) throws Exception {
    Path text = Files.writeString(dir.resolve("hello"), "hello from socat\n");
    try (Poll poll = Poll.open(backend);
        UdpSocket socket = UdpSocket.bind(LOOPBACK_ANY_PORT)) {
      poll.registry().register(socket, 1, Interest.READABLE);
      Peer.run(LIMIT, text, List.of(socat(), "-u", "-",
          "UDP-SENDTO:127.0.0.1:" + socket.localAddress().getPort())).expectSuccess();
      ByteBuffer in = ByteBuffer.allocate(2048);
      Events events = Events.withCapacity(8);
      List<String> got = new ArrayList<>();
      InetSocketAddress from = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (got.isEmpty()) {
        assertTrue(System.nanoTime() - deadline < 0, "no datagram from socat");
        poll.poll(events, Duration.ofSeconds(1));
        for (InetSocketAddress a; (a = socket.recvFrom(in.clear())) != null; ) {
          from = a;
          got.add(new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
        }
      }
      assertEquals(List.of("hello from socat\n"), got);
      assertNotNull(from);
      assertEquals("127.0.0.1", from.getAddress().getHostAddress());
    }
  }
}
