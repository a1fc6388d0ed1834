package dev.poll4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {
  private static final InetSocketAddress SOMEWHERE = new InetSocketAddress("127.0.0.1", 9);

  @Test
  void optionsAreChecked() {
    LoadGenerator.Options o = LoadGenerator.Options.of(SOMEWHERE);
    assertEquals(50, o.connections());
    assertEquals(64, o.messageSize());
    assertEquals(Duration.ofSeconds(5), o.duration());
    assertThrows(IllegalArgumentException.class, () -> o.withConnections(0));
    assertThrows(IllegalArgumentException.class,
        () -> o.withConnections(LoadGenerator.MAX_CONNECTIONS + 1));
    assertThrows(IllegalArgumentException.class, () -> o.withMessageSize(0));
    assertThrows(IllegalArgumentException.class,
        () -> o.withMessageSize(LoadGenerator.MAX_MESSAGE_SIZE + 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> o.withConnections(5_000).withMessageSize(64 * 1024));
    assertTrue(e.getMessage().contains("MiB"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> o.withDuration(Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> o.withDuration(Duration.ofSeconds(LoadGenerator.MAX_SECONDS + 1)));
    assertThrows(IllegalArgumentException.class, () -> o.withMaxRoundTrips(0));
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void stopsAfterTheCapOnRoundTrips(String backend) throws Exception {
    try (EchoServer server = EchoServer.start(backend, new InetSocketAddress("127.0.0.1", 0))) {
      LoadGenerator.Result r = LoadGenerator.run(LoadGenerator.Options.of(server.address())
          .withBackend(backend).withConnections(4).withMessageSize(1)
          .withDuration(Duration.ofSeconds(20)).withMaxRoundTrips(500), null);
      assertEquals(500, r.roundTrips());
      assertEquals(500, r.latency().count());
      assertTrue(r.elapsed().compareTo(Duration.ofSeconds(10)) < 0, "stopped early: " + r.elapsed());
      assertEquals(1, r.messageSize());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void aRefusedConnectionFailsTheRun(String backend) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nothing listens there now
    }
    assertThrows(ConnectException.class, () -> LoadGenerator.run(
        LoadGenerator.Options.of(new InetSocketAddress("127.0.0.1", port)).withBackend(backend)
            .withConnections(2).withDuration(Duration.ofSeconds(1)), null));
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void anEchoThatDiffersFailsTheRun(String backend) throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread corrupter = new Thread(() -> {
        try (Socket c = s.accept(); InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream()) {
          byte[] message = in.readNBytes(16);
          message[15] ^= 1; // one bit flipped
          out.write(message);
          in.readAllBytes(); // until the generator closes
        } catch (IOException e) {
          // the generator closed first
        }
      }, "corrupting-echo");
      corrupter.setDaemon(true);
      corrupter.start();
      IOException e = assertThrows(IOException.class, () -> LoadGenerator.run(
          LoadGenerator.Options.of(new InetSocketAddress("127.0.0.1", s.getLocalPort()))
              .withBackend(backend).withConnections(1).withMessageSize(16)
              .withDuration(Duration.ofSeconds(5)), null));
      assertTrue(e.getMessage().contains("differs from the message"), e.getMessage());
      corrupter.join(5_000);
    }
  }

  @Test
  void formatsDurationsForPeople() {
    assertEquals("850 ns", LoadGenerator.formatNanos(850));
    assertEquals("41.2 us", LoadGenerator.formatNanos(41_200));
    assertEquals("1.23 ms", LoadGenerator.formatNanos(1_234_000));
    assertEquals("2.50 s", LoadGenerator.formatNanos(2_500_000_000L));
  }
}
