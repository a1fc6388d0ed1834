package dev.poll4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Poll;
import dev.poll4j.net.TcpStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The echo server against the load generator and against plain poll4j clients, per backend. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EchoServerTest {
  private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void echoesEveryMessageOfTheLoadGeneratorForOneSecond(String backend) throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    LoadGenerator.Result r;
    try (EchoServer server = EchoServer.start(backend, LOOPBACK_ANY_PORT)) {
      assertEquals(backend, server.backendName());
      r = LoadGenerator.run(LoadGenerator.Options.of(server.address()).withBackend(backend)
              .withConnections(10).withMessageSize(100).withDuration(Duration.ofSeconds(1)),
          new PrintStream(progress, true, StandardCharsets.UTF_8));
      awaitTrue(() -> server.openConnections() == 0, "the server saw every client close");
      assertEquals(10, server.connectionsAccepted());
      assertEquals(0, server.connectionErrors(), "no connection ended in an error");
      // Every completed round trip was echoed; so may be the few in flight at the end.
      assertTrue(server.bytesEchoed() >= r.roundTrips() * 100, server.bytesEchoed() + " bytes");
      assertTrue(server.cpuTimeNanos() > 0, "the loop thread's CPU time is measured");
    }
    assertEquals(backend, r.backend());
    assertTrue(r.roundTrips() > 100, "round trips: " + r.roundTrips());
    assertEquals(r.roundTrips(), r.latency().count());
    assertTrue(r.latency().valueAtPercentile(50) > 0);
    assertTrue(r.elapsed().toMillis() >= 1000, "ran its second: " + r.elapsed());
    assertTrue(progress.toString(StandardCharsets.UTF_8).contains("\r  1/1 s"), progress::toString);
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void echoesAFloodFromAClientThatReadsLateThroughBackpressure(String backend) throws Exception {
    int total = 8 << 20; // far more than socket buffers hold: the server's writes must block
    try (EchoServer server = EchoServer.start(backend, LOOPBACK_ANY_PORT);
        Poll poll = Poll.open(backend);
        TcpStream client = TcpStream.connect(server.address())) {
      poll.registry().register(client, 1, Interest.READABLE.add(Interest.WRITABLE));
      ByteBuffer out = ByteBuffer.allocateDirect(total);
      for (int i = 0; i < total; i++) {
        out.put(i, pattern(i));
      }
      ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
      Events events = Events.withCapacity(4);
      long received = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (received < total) {
        assertTrue(System.nanoTime() - deadline < 0, "echoed " + received + " of " + total);
        poll.poll(events, Duration.ofSeconds(1));
        client.finishConnect();
        // Write until it would block before reading anything: the server then holds data it
        // cannot send back, and has to wait for writable.
        while (out.hasRemaining() && client.write(out) > 0) {}
        for (int n; (n = client.read(in.clear())) > 0; ) {
          for (int i = 0; i < n; i++) {
            if (in.get(i) != pattern(received + i)) {
              throw new AssertionError("byte " + (received + i) + " differs");
            }
          }
          received += n;
        }
      }
      assertEquals(total, server.bytesEchoed());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void echoesWhatWasSentBeforeTheClientShutDownItsOutputThenCloses(String backend)
      throws Exception {
    try (EchoServer server = EchoServer.start(backend, LOOPBACK_ANY_PORT);
        TestClient c = TestClient.connect(backend, server.address())) {
      c.send("first\n");
      assertEquals("first", c.readLine());
      c.send("last words\n");
      c.stream().shutdownOutput();
      assertArrayEquals("last words\n".getBytes(StandardCharsets.UTF_8), c.readToEnd());
      awaitTrue(() -> server.openConnections() == 0, "the server closed its side");
      assertEquals(0, server.connectionErrors());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void stoppingClosesConnectionsAndTheListener(String backend) throws Exception {
    EchoServer server = EchoServer.start(backend, LOOPBACK_ANY_PORT);
    InetSocketAddress address = server.address();
    try (TestClient a = TestClient.connect(backend, address);
        TestClient b = TestClient.connect(backend, address)) {
      a.send("x\n");
      assertEquals("x", a.readLine());
      awaitTrue(() -> server.openConnections() == 2, "both connections accepted");
      long t0 = System.nanoTime();
      server.close();
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1),
          "idle connections do not hold up the stop");
      assertTrue(a.closedByServer(), "connection a was closed");
      assertTrue(b.closedByServer(), "connection b was closed");
      assertEquals(0, server.openConnections());
      server.close(); // idempotent
    }
    assertThrows(ConnectException.class, () -> {
      try (TestClient c = TestClient.connect(backend, address)) {
        c.send("refused?");
      }
    });
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void aClientThatResetsItsConnectionIsClosedAndCounted(String backend) throws Exception {
    try (EchoServer server = EchoServer.start(backend, LOOPBACK_ANY_PORT)) {
      try (TestClient c = TestClient.connect(backend, server.address())) {
        c.send("hello\n");
        assertEquals("hello", c.readLine());
        c.stream().setOption(java.net.StandardSocketOptions.SO_LINGER, 0); // close = reset
      }
      awaitTrue(() -> server.openConnections() == 0, "the server closed the reset connection");
      // And it goes on serving.
      try (TestClient c = TestClient.connect(backend, server.address())) {
        c.send("still there?\n");
        assertEquals("still there?", c.readLine());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void unusableBackendOrAddressFailsAtStart(String backend) {
    IOException e = assertThrows(IOException.class,
        () -> EchoServer.start("nosuch", LOOPBACK_ANY_PORT));
    assertTrue(e.getMessage().contains("nosuch"), e.getMessage());
    assertThrows(java.net.BindException.class,
        () -> EchoServer.start(backend, new InetSocketAddress("192.0.2.1", 0)));
  }

  static byte pattern(long i) {
    return (byte) (i * 31 + (i >>> 8));
  }

  static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within 5 s: " + what);
      }
      Thread.sleep(5);
    }
  }
}
