package dev.poll4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP server against a poll4j client that speaks raw bytes, per backend: keep-alive,
 * pipelining, split requests, large responses, every error status, and the graceful stop.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpServerTest {
  private HttpServer server;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private TestClient client(String backend) throws IOException {
    if (server == null) {
      server = HttpServer.start(backend, new InetSocketAddress("127.0.0.1", 0));
    }
    return TestClient.connect(backend, server.address());
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void servesSeveralRequestsOnOneKeptAliveConnection(String backend) throws Exception {
    try (TestClient c = client(backend)) {
      for (int i = 0; i < 3; i++) {
        c.send("GET / HTTP/1.1\r\nHost: test\r\nUser-Agent: poll4j-test\r\n\r\n");
        Response r = Response.read(c, false);
        assertEquals(200, r.status, r.toString());
        assertEquals(HttpServer.HELLO, r.text());
        assertEquals(String.valueOf(HttpServer.HELLO.length()), r.field("content-length"));
        assertEquals("text/plain; charset=utf-8", r.field("content-type"));
        assertTrue(r.field("date").matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} "
            + "\\d{2}:\\d{2}:\\d{2} GMT"), r.field("date"));
        assertNull(r.field("connection"));
      }
      assertEquals(1, server.connectionsAccepted());
      assertEquals(3, server.requestsServed());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void answersPipelinedRequestsInOrder(String backend) throws Exception {
    try (TestClient c = client(backend)) {
      c.send("GET /stats HTTP/1.1\r\nHost: a\r\n\r\n"
          + "GET /nope?x=1 HTTP/1.1\r\nHost: a\r\n\r\n"
          + "HEAD /big HTTP/1.1\r\nHost: a\r\n\r\n"
          + "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
          + "GET / HTTP/1.1\r\nHost: a\r\n\r\n"); // after "close": never answered
      Response stats = Response.read(c, false);
      assertEquals(200, stats.status);
      assertTrue(stats.text().contains("requests: 1\n"), stats.text());
      assertTrue(stats.text().contains("backend: " + backend + "\n"), stats.text());
      Response missing = Response.read(c, false);
      assertEquals(404, missing.status);
      assertEquals("no such path: /nope\n", missing.text());
      Response head = Response.read(c, true);
      assertEquals(200, head.status);
      assertEquals(String.valueOf(HttpServer.BIG_SIZE), head.field("content-length"));
      assertEquals(0, head.body.length);
      Response last = Response.read(c, false);
      assertEquals(HttpServer.HELLO, last.text());
      assertEquals("close", last.field("connection"));
      assertTrue(c.closedByServer(), "closed after Connection: close");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void parsesARequestThatArrivesOneByteAtATime(String backend) throws Exception {
    try (TestClient c = client(backend)) {
      c.sendSlowly("\r\nGET / HTTP/1.1\nHost: slow\n\n"); // a leading CRLF and bare LFs: allowed
      assertEquals(200, Response.read(c, false).status);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void writesLargeResponsesToAClientThatPipelinesAndReadsLate(String backend) throws Exception {
    try (TestClient c = client(backend)) {
      c.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n".repeat(4));
      Thread.sleep(200); // the server fills the socket buffers and waits for writable
      byte[] expected = bigBody();
      for (int i = 0; i < 4; i++) {
        Response r = Response.read(c, false);
        assertEquals(200, r.status);
        assertArrayEquals(expected, r.body, "body " + i);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void skipsRequestBodies(String backend) throws Exception {
    try (TestClient c = client(backend)) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world"
          + "GET /stats HTTP/1.1\r\nHost: a\r\n\r\n");
      assertEquals(HttpServer.HELLO, Response.read(c, false).text());
      assertEquals(200, Response.read(c, false).status);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GET  / HTTP/1.1\r\nHost: a\r\n\r\n|400|malformed request line",
      "GET /\r\nHost: a\r\n\r\n|400|malformed request line",
      "G(T / HTTP/1.1\r\nHost: a\r\n\r\n|400|malformed request line",
      "GET / HTTX/1.1\r\nHost: a\r\n\r\n|400|malformed HTTP version",
      "GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n|400|origin form",
      "GET / HTTP/1.1\r\n\r\n|400|no Host field",
      "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n|400|more than one Host field",
      "GET / HTTP/1.1\r\nHost : a\r\n\r\n|400|malformed header field",
      "GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n  folded\r\n\r\n|400|obsolete line folding",
      "GET / HTTP/1.1\r\nHost: a\r\nno colon\r\n\r\n|400|malformed header field",
      "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n|400|malformed Content-Length",
      "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n|400|"
          + "conflicting Content-Length",
      "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999\r\n\r\n|400|request body over",
      "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n|400|bare CR",
      "GET / HTTP/2.0\r\nHost: a\r\n\r\n|505|HTTP/1.0 and HTTP/1.1 only",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n|501|Transfer-Encoding",
  })
  void answersMalformedRequestsWithAnErrorAndCloses(String testCase) throws Exception {
    String[] parts = testCase.split("\\|");
    for (String backend : Backends.available()) {
      try (HttpServer s = HttpServer.start(backend, new InetSocketAddress("127.0.0.1", 0));
          TestClient c = TestClient.connect(backend, s.address())) {
        c.send(parts[0] + "GET / HTTP/1.1\r\nHost: a\r\n\r\n"); // not answered: the server closes
        Response r = Response.read(c, false);
        assertEquals(Integer.parseInt(parts[1]), r.status, backend + ": " + r);
        assertTrue(r.text().contains(parts[2]), backend + ": " + r.text());
        assertEquals("close", r.field("connection"));
        assertTrue(c.closedByServer(), backend + ": closed after the error");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void rejectsAHeadOverTheLimitWith431(String backend) throws Exception {
    try (TestClient c = client(backend)) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + "x".repeat(HttpServer.MAX_HEAD) + "\r\n\r\n");
      Response r = Response.read(c, false);
      assertEquals(431, r.status);
      assertTrue(c.closedByServer());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void answersOtherMethodsWith405AndKnowsHttp10(String backend) throws Exception {
    try (TestClient c = client(backend)) {
      c.send("DELETE /stats HTTP/1.1\r\nHost: a\r\n\r\n");
      Response r = Response.read(c, false);
      assertEquals(405, r.status);
      assertEquals("GET, HEAD", r.field("allow"));
      c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      Response kept = Response.read(c, false);
      assertEquals("keep-alive", kept.field("connection"));
      c.send("GET / HTTP/1.0\r\n\r\n");
      Response closed = Response.read(c, false);
      assertEquals(HttpServer.HELLO, closed.text());
      assertEquals("close", closed.field("connection"));
      assertTrue(c.closedByServer(), "HTTP/1.0 without keep-alive closes");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void stopsGracefullyAnsweringTheRequestUnderWay(String backend) throws Exception {
    try (TestClient idle = client(backend); TestClient busy = client(backend)) {
      idle.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertEquals(200, Response.read(idle, false).status);
      busy.send("GET / HTTP/1.1\r\nHo"); // a request under way when the stop begins
      EchoServerTest.awaitTrue(() -> server.requestsServed() == 1 && server.openConnections() == 2,
          "both connections open");
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
        try {
          server.close();
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      assertTrue(idle.closedByServer(), "the idle connection is closed at once");
      assertFalse(stopping.isDone(), "the stop waits for the request under way");
      busy.send("st: a\r\n\r\n");
      Response r = Response.read(busy, false);
      assertEquals(200, r.status);
      assertEquals("close", r.field("connection"));
      assertTrue(busy.closedByServer());
      stopping.get(5, TimeUnit.SECONDS);
      assertEquals(0, server.openConnections());
    }
  }

  @Test
  void findsTheEndOfAHead() {
    byte[] b = "GET / HTTP/1.1\r\nHost: a\r\n\r\nrest".getBytes(StandardCharsets.US_ASCII);
    assertEquals(27, HttpServer.headEnd(b, 0, b.length));
    assertEquals(-1, HttpServer.headEnd(b, 0, 26));
    byte[] lf = "GET / HTTP/1.0\n\n".getBytes(StandardCharsets.US_ASCII);
    assertEquals(lf.length, HttpServer.headEnd(lf, 0, lf.length));
  }

  private static byte[] bigBody() {
    byte[] line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!\n"
        .getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(HttpServer.BIG_SIZE);
    while (b.hasRemaining()) {
      b.put(line);
    }
    return b.array();
  }

  /** A response as the client read it. */
  static final class Response {
    int status;
    final Map<String, String> fields = new LinkedHashMap<>();
    byte[] body;

    static Response read(TestClient c, boolean head) throws IOException {
      Response r = new Response();
      String statusLine = c.readLine();
      if (statusLine == null) {
        throw new IOException("the server closed the connection instead of answering");
      }
      assertTrue(statusLine.startsWith("HTTP/1.1 "), statusLine);
      r.status = Integer.parseInt(statusLine.substring(9, 12));
      for (String line; !(line = c.readLine()).isEmpty(); ) {
        int colon = line.indexOf(':');
        r.fields.put(line.substring(0, colon).toLowerCase(Locale.ROOT),
            line.substring(colon + 1).strip());
      }
      assertEquals("poll4j-examples", r.field("server"));
      int length = Integer.parseInt(r.field("content-length"));
      r.body = head ? new byte[0] : c.readExactly(length);
      return r;
    }

    String field(String name) {
      return fields.get(name);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return status + " " + fields + " " + text();
    }
  }
}
