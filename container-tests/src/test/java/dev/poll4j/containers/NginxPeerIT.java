package dev.poll4j.containers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * A real nginx (Debian's, in the {@code nginx} image, listening on 127.0.0.1 only, host network)
 * and a poll4j HTTP/1.1 client on the host ({@link Wire}): keep-alive request sequences, pipelined
 * requests, a large body read through many readable events, and the end of stream after {@code
 * Connection: close}. {@code /hello} answers with nginx's {@code $connection} and {@code
 * $connection_requests}, so the test sees that every request used the same connection.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NginxPeerIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final Pattern HELLO = Pattern.compile("connection=(\\d+) request=(\\d+)\n");
  private static final byte[] BIG = new byte[4 << 20];
  private static GenericContainer<?> nginx;
  private static InetSocketAddress address;

  @BeforeAll
  static void startNginx() throws IOException {
    String tag = Containers.image("nginx");
    int port = Containers.freePort();
    new Random(6).nextBytes(BIG);
    String conf =
        String.join(
            "\n",
            "daemon off;",
            "worker_processes 1;",
            "error_log stderr notice;",
            "pid /tmp/nginx-poll4j.pid;",
            "events { worker_connections 256; }",
            "http {",
            "  access_log off;",
            "  default_type application/octet-stream;",
            "  server {",
            "    listen 127.0.0.1:" + port + ";",
            "    keepalive_requests 100000;",
            "    keepalive_timeout 60s;",
            "    root /srv/poll4j;",
            "    location = /hello {",
            "      default_type text/plain;",
            "      return 200 \"connection=$connection request=$connection_requests\\n\";",
            "    }",
            "  }",
            "}",
            "");
    nginx =
        new GenericContainer<>(DockerImageName.parse(tag))
            .withImagePullPolicy(name -> false)
            .withNetworkMode("host")
            .withCopyToContainer(Transferable.of(conf), "/etc/poll4j/nginx.conf")
            .withCopyToContainer(Transferable.of(BIG, 0644), "/srv/poll4j/big.bin")
            .withCommand("nginx", "-c", "/etc/poll4j/nginx.conf")
            .waitingFor(
                Wait.forLogMessage(".*start worker process.*\\n", 1)
                    .withStartupTimeout(Duration.ofMinutes(1)));
    nginx.start();
    address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  @AfterAll
  static void stopNginx() {
    if (nginx != null) {
      nginx.stop();
    }
  }

  @Test
  void twoHundredKeepAliveRequestsShareOneConnection() throws IOException {
    try (Wire wire = new Wire()) {
      Wire.Conn c = wire.connect(address, 0);
      String connection = null;
      for (int i = 1; i <= 200; i++) {
        c.send(get("/hello", false));
        Response r = next(wire, c);
        assertEquals(200, r.status, "status of request " + i);
        assertFalse(
            "close".equalsIgnoreCase(r.headers.get("connection")),
            "nginx closes after request " + i);
        Matcher m = HELLO.matcher(r.text());
        assertTrue(m.matches(), "body: " + r.text());
        if (connection == null) {
          connection = m.group(1);
        }
        assertEquals(connection, m.group(1), "nginx connection number of request " + i);
        assertEquals(String.valueOf(i), m.group(2), "requests on this connection");
      }
      assertFalse(c.ended, "the connection ended");
    }
  }

  @Test
  void hundredPipelinedRequestsAreAnsweredInOrder() throws IOException {
    try (Wire wire = new Wire()) {
      Wire.Conn c = wire.connect(address, 4 * 1024);
      for (int i = 1; i <= 100; i++) {
        c.send(get("/hello", false));
      }
      String connection = null;
      for (int i = 1; i <= 100; i++) {
        Response r = next(wire, c);
        assertEquals(200, r.status, "status of request " + i);
        Matcher m = HELLO.matcher(r.text());
        assertTrue(m.matches(), "body: " + r.text());
        if (connection == null) {
          connection = m.group(1);
        }
        assertEquals(connection, m.group(1), "connection of request " + i);
        assertEquals(String.valueOf(i), m.group(2), "order of the answers");
      }
    }
  }

  @Test
  void aFourMebibyteBodyArrivesIntactThroughManyReads() throws IOException {
    try (Wire wire = new Wire()) {
      Wire.Conn c = wire.connect(address, 16 * 1024);
      c.send(get("/big.bin", false));
      Response r = next(wire, c);
      assertEquals(200, r.status);
      assertEquals(String.valueOf(BIG.length), r.headers.get("content-length"));
      assertArrayEquals(BIG, r.body, "body of /big.bin");
      assertTrue(c.reads > 10, "the body came in " + c.reads + " reads");
      // and the connection still serves
      c.send(get("/hello", false));
      assertTrue(HELLO.matcher(next(wire, c).text()).matches());
      System.out.printf(
          "nginx (%s): %d bytes in %d reads on %d readable events%n",
          wire.backend(), c.received, c.reads, c.readEvents);
    }
  }

  @Test
  void connectionCloseEndsTheStreamAfterTheResponse() throws IOException {
    try (Wire wire = new Wire()) {
      Wire.Conn c = wire.connect(address, 0);
      c.send(get("/hello", false));
      assertEquals(200, next(wire, c).status);
      c.send(get("/hello", true));
      Response last = next(wire, c);
      assertEquals(200, last.status);
      assertEquals("close", last.headers.get("connection").toLowerCase(Locale.ROOT));
      wire.runUntil(() -> c.ended, LIMIT, "end of stream after Connection: close");
    }
  }

  private static byte[] get(String path, boolean close) {
    return ("GET "
            + path
            + " HTTP/1.1\r\nHost: poll4j.test\r\nUser-Agent: poll4j-container-tests\r\n"
            + (close ? "Connection: close\r\n" : "")
            + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** A response with a Content-Length body (nginx sends one for these resources). */
  private static final class Response {
    int status;
    final Map<String, String> headers = new HashMap<>();
    byte[] body;

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** Reads the next complete response from the connection. */
  private static Response next(Wire wire, Wire.Conn c) throws IOException {
    List<Response> out = new ArrayList<>(1);
    wire.runUntil(
        () -> {
          Response r = parse(c);
          if (r != null) {
            out.add(r);
          }
          return !out.isEmpty();
        },
        LIMIT,
        "a response");
    return out.get(0);
  }

  private static Response parse(Wire.Conn c) {
    byte[] b = c.input();
    int start = c.start();
    int end = c.end();
    int headEnd = -1;
    for (int i = start; i + 3 < end; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
        headEnd = i;
        break;
      }
    }
    if (headEnd < 0) {
      return null;
    }
    String[] lines =
        new String(b, start, headEnd - start, StandardCharsets.ISO_8859_1).split("\r\n");
    Response r = new Response();
    String[] statusLine = lines[0].split(" ", 3);
    if (!statusLine[0].equals("HTTP/1.1")) {
      throw new IllegalStateException("not an HTTP/1.1 status line: " + lines[0]);
    }
    r.status = Integer.parseInt(statusLine[1]);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      r.headers.put(
          lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).strip());
    }
    if (r.headers.containsKey("transfer-encoding")) {
      throw new IllegalStateException("chunked responses are not expected here: " + r.headers);
    }
    int length = Integer.parseInt(r.headers.getOrDefault("content-length", "0"));
    int bodyStart = headEnd + 4;
    if (end - bodyStart < length) {
      return null;
    }
    r.body = java.util.Arrays.copyOfRange(b, bodyStart, bodyStart + length);
    c.consume(bodyStart + length - start);
    return r;
  }
}
