package dev.poll4j.it.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.examples.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * curl (Debian package {@code curl}) against the examples' {@link HttpServer}, on each backend:
 * keep-alive reuse, status codes, a large body, parallel connections, and a request curl makes
 * malformed on purpose.
 */
@Tag("peers")
@DisabledOnOs(
    value = OS.WINDOWS,
    disabledReason = "the peers are Debian programs found on a Unix PATH, started with /dev/null"
        + " as input and watched through /proc/net, and the backends are epoll and poll")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CurlPeerTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);

  private static List<String> curl(String... args) {
    List<String> command = new ArrayList<>(List.of(Peer.require("curl", "curl"), "--silent",
        "--show-error", "--max-time", "15", "--noproxy", "*"));
    command.addAll(List.of(args));
    return command;
  }

  private static String url(HttpServer s, String path) {
    return "http://127.0.0.1:" + s.address().getPort() + path;
  }

  private static HttpServer start(String backend) throws IOException {
    return HttpServer.start(backend, new InetSocketAddress("127.0.0.1", 0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "poll"})
  void curlReusesOneKeptAliveConnectionForSeveralUrls(String backend) throws Exception {
    try (HttpServer server = start(backend)) {
      Peer.Run r = Peer.run(LIMIT, null, curl("--verbose", url(server, "/"),
          url(server, "/stats"), url(server, "/?again"))).expectSuccess();
      assertEquals(HttpServer.HELLO + "requests: 2\nconnections accepted: 1\n"
          + "connections open: 1\nbackend: " + backend + "\n" + HttpServer.HELLO, r.out());
      assertTrue(r.stderr().contains("Re-using existing connection"), r.stderr());
      assertEquals(1, server.connectionsAccepted(), "one connection for three requests");
      assertEquals(3, server.requestsServed());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "poll"})
  void curlSeesStatusCodesAndSizes(String backend) throws Exception {
    try (HttpServer server = start(backend)) {
      Peer.Run r = Peer.run(LIMIT, null, curl("--write-out", "%{http_code} %{size_download}\\n",
          "-o", "/dev/null", url(server, "/nope"),
          "-o", "/dev/null", url(server, "/"),
          "-o", "/dev/null", url(server, "/big"))).expectSuccess();
      assertEquals("404 20\n200 19\n200 " + HttpServer.BIG_SIZE + "\n", r.out());
      Peer.Run delete = Peer.run(LIMIT, null, curl("--request", "DELETE", "--include",
          url(server, "/stats"))).expectSuccess();
      assertTrue(delete.out().startsWith("HTTP/1.1 405 Method Not Allowed\r\n"), delete.out());
      assertTrue(delete.out().contains("\r\nAllow: GET, HEAD\r\n"), delete.out());
      // curl drops the Host field when told to send an empty one: a malformed HTTP/1.1 request.
      Peer.Run noHost = Peer.run(LIMIT, null, curl("--header", "Host:", url(server, "/"),
          "--include")).expectSuccess();
      assertTrue(noHost.out().startsWith("HTTP/1.1 400 Bad Request\r\n"), noHost.out());
      assertTrue(noHost.out().endsWith("\r\n\r\nno Host field\n"), noHost.out());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "poll"})
  void curlDownloadsTheLargeBodyIntactAndHeadsIt(String backend, @TempDir Path dir)
      throws Exception {
    try (HttpServer server = start(backend)) {
      Path file = dir.resolve("big");
      Peer.run(LIMIT, null, curl("-o", file.toString(), url(server, "/big"))).expectSuccess();
      byte[] body = Files.readAllBytes(file);
      assertEquals(HttpServer.BIG_SIZE, body.length);
      byte[] line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!\n"
          .getBytes(StandardCharsets.US_ASCII);
      for (int at = 0; at < body.length; at += line.length) {
        assertArrayEquals(line, java.util.Arrays.copyOfRange(body, at, at + line.length),
            "line at " + at);
      }
      Peer.Run head = Peer.run(LIMIT, null, curl("--head", url(server, "/big")))
          .expectSuccess();
      assertTrue(head.out().startsWith("HTTP/1.1 200 OK\r\n"), head.out());
      assertTrue(head.out().contains("\r\nContent-Length: " + HttpServer.BIG_SIZE + "\r\n"),
          head.out());
      Peer.Run http10 = Peer.run(LIMIT, null, curl("--http1.0", "--include", url(server, "/")))
          .expectSuccess();
      assertTrue(http10.out().contains("\r\nConnection: close\r\n"), http10.out());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "poll"})
  void curlFetchesInParallel(String backend) throws Exception {
    try (HttpServer server = start(backend)) {
      List<String> args = new ArrayList<>(List.of("--parallel", "--parallel-max", "8",
          "--no-progress-meter"));
      for (int i = 0; i < 32; i++) {
        args.add(url(server, "/?" + i));
      }
      Peer.Run r = Peer.run(LIMIT, null, curl(args.toArray(new String[0]))).expectSuccess();
      assertEquals(HttpServer.HELLO.repeat(32), r.out());
      assertEquals(32, server.requestsServed());
    }
  }
}
