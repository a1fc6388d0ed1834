package dev.poll4j.examples;

import dev.poll4j.Event;
import dev.poll4j.Interest;
import dev.poll4j.Poll;
import dev.poll4j.net.TcpStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * A small HTTP/1.1 server on one poll4j event-loop thread: {@code GET} and {@code HEAD} of a few
 * fixed paths, persistent connections, pipelining, and a graceful stop.
 *
 * <table>
 *   <caption>Paths</caption>
 *   <tr><th>path</th><th>body ({@code text/plain})</th></tr>
 *   <tr><td>{@code /}</td><td>{@value #HELLO}</td></tr>
 *   <tr><td>{@code /stats}</td><td>requests served, connections accepted and open, backend</td></tr>
 *   <tr><td>{@code /big}</td><td>{@value #BIG_SIZE} bytes of text: responses larger than a
 *       socket buffer, written in pieces</td></tr>
 * </table>
 *
 * <p>What it implements of RFC 9112: the request line and header fields are parsed strictly (a
 * request line of three parts, {@code HTTP/1.0} or {@code HTTP/1.1}, an origin-form target,
 * header names without whitespace before the colon, no line folding, exactly one {@code Host} in
 * HTTP/1.1, a valid and consistent {@code Content-Length}); lines may end in CRLF or a bare LF,
 * and empty lines before a request line are skipped. Answers: {@code 200}, {@code 404} for
 * unknown paths, {@code 405} for other methods on known paths, {@code 400} for malformed
 * requests, {@code 431} for a head over {@value #MAX_HEAD} bytes, {@code 501} for a request with
 * {@code Transfer-Encoding}, {@code 505} for other HTTP versions. Request bodies with a {@code
 * Content-Length} are read and ignored. HTTP/1.1 connections persist unless the client sends
 * {@code Connection: close}; HTTP/1.0 ones only with {@code Connection: keep-alive}. Every
 * response has a {@code Content-Length}, a {@code Date} and a {@code Server} field.
 *
 * <p>How a connection works: it reads into a buffer of {@value #MAX_HEAD} bytes, answers every
 * complete request in it, in order (that is all pipelining asks), queues the responses, and
 * writes them with one gathering write per round. While a write would block, it stops reading
 * and waits for {@link Interest#WRITABLE} alone, so a client that pipelines without reading is
 * held back by TCP. After an error response (or {@code Connection: close}) it stops parsing,
 * writes what is queued, shuts down its output and reads until the client closes, so that
 * unread requests do not make the kernel reset the connection under the last response.
 *
 * <p>{@link #close()} stops gracefully: no new connections, idle connections are closed at once,
 * and a request that is under way gets its response, with {@code Connection: close}.
 *
 * <pre>
 * usage: HttpServer [--backend NAME] [--host ADDRESS] [--port N]
 * </pre>
 */
public final class HttpServer extends TcpServer {
  /** The body of {@code GET /}. */
  public static final String HELLO = "Hello from poll4j!\n";
  /** The size of the body of {@code GET /big}. */
  public static final int BIG_SIZE = 1 << 20;
  /** The largest request head (request line and header fields) accepted. */
  public static final int MAX_HEAD = 8 * 1024;
  /** The largest request body accepted (and ignored). */
  static final long MAX_BODY = 1 << 20;
  /** Bytes a closing connection reads and drops before it gives up waiting for the client. */
  private static final int MAX_DISCARD = 64 * 1024;
  /** Buffers one gathering write takes. */
  private static final int WRITE_BATCH = 16;

  /** The paths served; anything else is a 404. */
  static final Set<String> PATHS = Set.of("/", "/stats", "/big");

  private static final byte[] HELLO_BYTES = HELLO.getBytes(StandardCharsets.UTF_8);
  // One direct buffer for every /big response: each gets a duplicate, and the kernel reads it
  // without a copy.
  private static final ByteBuffer BIG = bigBody();
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

  // Requests answered, all connections together. Loop thread writes, anyone reads.
  private volatile long requests;
  // The Date field of the current second, and that second. Loop thread only.
  private String date = "";
  private long dateSecond = -1;

  private HttpServer(String backend, InetSocketAddress address) throws IOException {
    super("http-server", backend, address);
  }

  /**
   * Starts an HTTP server on its own event-loop thread.
   *
   * @param backend a backend name ({@code epoll}, {@code poll}, ...), or null for {@link
   *     Poll#open()}: the {@code poll4j.backend} property, else the best backend here
   * @param address where to listen; port 0 picks a free port, see {@link #address()}
   * @return the running server; {@link #close()} stops it gracefully
   * @throws IOException if the backend cannot be used or the address cannot be bound
   */
  public static HttpServer start(String backend, InetSocketAddress address) throws IOException {
    HttpServer server = new HttpServer(backend, address);
    server.start();
    return server;
  }

  /**
   * Requests answered so far, error responses included.
   *
   * @return the count
   */
  public long requestsServed() {
    return requests;
  }

  @Override
  protected Connection accept(TcpStream stream) {
    return new Exchange(stream);
  }

  private static ByteBuffer bigBody() {
    ByteBuffer b = ByteBuffer.allocateDirect(BIG_SIZE);
    byte[] line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!\n"
        .getBytes(StandardCharsets.US_ASCII); // 64 bytes
    while (b.hasRemaining()) {
      b.put(line);
    }
    return b.flip().asReadOnlyBuffer();
  }

  private String date() {
    long second = System.currentTimeMillis() / 1000;
    if (second != dateSecond) {
      dateSecond = second;
      date = IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC));
    }
    return date;
  }

  /** One connection: the bytes of requests not answered yet, and responses not written yet. */
  private final class Exchange extends Connection {
    // Request bytes, in "fill" mode: [0, position) holds what has not been parsed yet.
    private final byte[] in = new byte[MAX_HEAD];
    private final ByteBuffer inBuffer = ByteBuffer.wrap(in);
    // Responses (head and body buffers) in order, not yet written.
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    // The buffers of one gathering write; emptied after each write.
    private final ByteBuffer[] batch = new ByteBuffer[WRITE_BATCH];
    // Bytes of a request body still to skip.
    private long bodyToSkip;
    // No more requests are parsed: the connection ends once the queue is written.
    private boolean closing;
    // Output shut down; the connection reads and drops input until the client closes.
    private boolean outputShut;
    private int discarded;

    Exchange(TcpStream stream) {
      super(stream);
    }

    @Override
    protected boolean onReady(Event event) throws IOException {
      for (;;) {
        if (!flush()) {
          interest(Interest.WRITABLE); // the client is not reading: neither are we, until it does
          return true;
        }
        if (closing) {
          return lingeringClose();
        }
        if (answerBufferedRequests()) {
          continue; // responses (or the decision to close) are queued: write them first
        }
        interest(Interest.READABLE);
        int n = stream.read(inBuffer); // never full here: a full buffer is answered with 431
        if (n == 0) {
          return true; // would block: wait for more
        }
        if (n < 0) {
          return false; // the client closed; everything it asked for was answered
        }
      }
    }

    @Override
    protected boolean isIdle() {
      return out.isEmpty() && (closing || (inBuffer.position() == 0 && bodyToSkip == 0));
    }

    // Writes queued responses until done (true) or a write would block (false).
    private boolean flush() throws IOException {
      while (!out.isEmpty()) {
        int k = 0;
        for (ByteBuffer b : out) {
          batch[k++] = b;
          if (k == batch.length) {
            break;
          }
        }
        long n = stream.write(batch, 0, k);
        Arrays.fill(batch, 0, k, null);
        if (n == 0) {
          return false;
        }
        while (!out.isEmpty() && !out.peekFirst().hasRemaining()) {
          out.pollFirst();
        }
      }
      return true;
    }

    // After the last response: shut down output, then read and drop until the client closes.
    private boolean lingeringClose() throws IOException {
      if (!outputShut) {
        outputShut = true;
        stream.shutdownOutput();
      }
      for (;;) {
        inBuffer.clear();
        int n = stream.read(inBuffer);
        if (n == 0) {
          interest(Interest.READABLE);
          return true;
        }
        if (n < 0 || (discarded += n) > MAX_DISCARD) {
          return false;
        }
      }
    }

    // Answers every complete request in the buffer; true if it queued anything or decided to
    // close, false if it needs more bytes.
    private boolean answerBufferedRequests() {
      int end = inBuffer.position();
      int pos = 0;
      boolean answered = false;
      while (!closing) {
        if (bodyToSkip > 0) {
          int k = (int) Math.min(bodyToSkip, end - pos);
          pos += k;
          bodyToSkip -= k;
          if (bodyToSkip > 0) {
            break;
          }
        }
        while (pos < end && (in[pos] == '\r' || in[pos] == '\n')) {
          pos++; // empty lines before a request line are allowed (RFC 9112, 2.2)
        }
        int headEnd = headEnd(in, pos, end);
        if (headEnd < 0) {
          if (pos == 0 && end == in.length) {
            respond(431, "Request Header Fields Too Large", "request head over " + MAX_HEAD
                + " bytes\n", false, true);
            answered = true;
          }
          break;
        }
        Request r = Request.parse(in, pos, headEnd);
        pos = headEnd;
        answer(r);
        answered = true;
      }
      if (closing) {
        inBuffer.clear(); // what follows a request we answer with "close" is never parsed
      } else {
        System.arraycopy(in, pos, in, 0, end - pos);
        inBuffer.position(end - pos);
      }
      return answered;
    }

    private void answer(Request r) {
      if (r.error != null) {
        respond(r.status, reason(r.status), r.error + "\n", false, true);
        return;
      }
      bodyToSkip = r.contentLength;
      boolean head = r.method.equals("HEAD");
      boolean close = !r.keepAlive || stopping();
      if (!PATHS.contains(r.path)) {
        respond(404, "Not Found", "no such path: " + r.path + "\n", head, close);
      } else if (!head && !r.method.equals("GET")) {
        respond(405, "Method Not Allowed", "only GET and HEAD here\n", false, close,
            "Allow: GET, HEAD\r\n");
      } else if (r.path.equals("/")) {
        respond(200, "OK", ByteBuffer.wrap(HELLO_BYTES), head, close, keepAlive(r, close));
      } else if (r.path.equals("/big")) {
        respond(200, "OK", BIG.duplicate(), head, close, keepAlive(r, close));
      } else { // "/stats"
        String body = String.format(Locale.ROOT,
            "requests: %d\nconnections accepted: %d\nconnections open: %d\nbackend: %s\n",
            requests + 1, connectionsAccepted(), openConnections(), backendName());
        respond(200, "OK", body, head, close, keepAlive(r, close));
      }
    }

    // HTTP/1.0 connections persist only if the response says so too.
    private String keepAlive(Request r, boolean close) {
      return r.http10 && !close ? "Connection: keep-alive\r\n" : "";
    }

    private void respond(int status, String reason, String body, boolean head, boolean close,
        String... extraFields) {
      respond(status, reason, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), head,
          close, extraFields);
    }

    private void respond(int status, String reason, ByteBuffer body, boolean head, boolean close,
        String... extraFields) {
      StringBuilder h = new StringBuilder(160)
          .append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n")
          .append("Content-Type: text/plain; charset=utf-8\r\n")
          .append("Content-Length: ").append(body.remaining()).append("\r\n")
          .append("Date: ").append(date()).append("\r\n")
          .append("Server: poll4j-examples\r\n");
      for (String f : extraFields) {
        h.append(f);
      }
      if (close) {
        h.append("Connection: close\r\n");
        closing = true;
      }
      h.append("\r\n");
      out.add(ByteBuffer.wrap(h.toString().getBytes(StandardCharsets.US_ASCII)));
      if (!head && body.hasRemaining()) {
        out.add(body);
      }
      requests++;
    }
  }

  /** The index just past the empty line that ends a request head at {@code from}, or -1. */
  static int headEnd(byte[] b, int from, int end) {
    for (int i = from; i < end; i++) {
      if (b[i] == '\n') {
        // The line ended at i; an empty line follows if the next line is "\n" or "\r\n".
        if (i + 1 < end && b[i + 1] == '\n') {
          return i + 2;
        }
        if (i + 2 < end && b[i + 1] == '\r' && b[i + 2] == '\n') {
          return i + 3;
        }
      }
    }
    return -1;
  }

  static String reason(int status) {
    switch (status) {
      case 400: return "Bad Request";
      case 431: return "Request Header Fields Too Large";
      case 501: return "Not Implemented";
      case 505: return "HTTP Version Not Supported";
      default: return "Error";
    }
  }

  /** A parsed request head, or the error that makes it unanswerable. */
  static final class Request {
    String method;
    String path;
    boolean http10;
    boolean keepAlive;
    long contentLength;
    // Set when the request cannot be served: the status and a one-line reason.
    int status;
    String error;

    /** Parses the head in {@code b[from, to)}, which ends with its empty line. */
    static Request parse(byte[] b, int from, int to) {
      Request r = new Request();
      String head = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
      if (head.replace("\r\n", "").indexOf('\r') >= 0) {
        return r.fail(400, "bare CR"); // RFC 9112 2.2: a CR outside CRLF is an error
      }
      String[] lines = head.split("\r?\n", -1); // the last two are the empty line and ""
      String[] parts = lines[0].split(" ", -1);
      if (parts.length != 3 || !isToken(parts[0]) || parts[1].isEmpty()) {
        return r.fail(400, "malformed request line");
      }
      r.method = parts[0];
      String target = parts[1];
      String version = parts[2];
      if (version.equals("HTTP/1.1")) {
        r.keepAlive = true;
      } else if (version.equals("HTTP/1.0")) {
        r.http10 = true;
      } else if (version.matches("HTTP/[0-9]\\.[0-9]")) {
        return r.fail(505, "HTTP/1.0 and HTTP/1.1 only");
      } else {
        return r.fail(400, "malformed HTTP version");
      }
      if (target.charAt(0) != '/') {
        return r.fail(400, "the target must be a path (origin form)");
      }
      int query = target.indexOf('?');
      r.path = query < 0 ? target : target.substring(0, query);
      int hosts = 0;
      long length = -1;
      for (int i = 1; i < lines.length - 2; i++) {
        String line = lines[i];
        int colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.substring(0, colon))) {
          return r.fail(400, line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t'
              ? "obsolete line folding" : "malformed header field");
        }
        String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).strip();
        switch (name) {
          case "host":
            hosts++;
            break;
          case "content-length":
            if (!value.matches("[0-9]{1,18}")) {
              return r.fail(400, "malformed Content-Length");
            }
            long n = Long.parseLong(value);
            if (length >= 0 && n != length) {
              return r.fail(400, "conflicting Content-Length fields");
            }
            length = n;
            break;
          case "transfer-encoding":
            return r.fail(501, "Transfer-Encoding is not supported");
          case "connection":
            for (String option : value.toLowerCase(Locale.ROOT).split(",")) {
              if (option.strip().equals("close")) {
                r.keepAlive = false;
              } else if (option.strip().equals("keep-alive") && r.http10) {
                r.keepAlive = true;
              }
            }
            break;
          default:
            break;
        }
      }
      if (!r.http10 && hosts != 1) {
        return r.fail(400, hosts == 0 ? "no Host field" : "more than one Host field");
      }
      if (length > MAX_BODY) {
        return r.fail(400, "request body over " + MAX_BODY + " bytes");
      }
      r.contentLength = Math.max(length, 0);
      return r;
    }

    private Request fail(int status, String why) {
      this.status = status;
      this.error = why;
      this.keepAlive = false;
      return this;
    }

    // RFC 9110 5.6.2: token = 1*tchar.
    private static boolean isToken(String s) {
      if (s.isEmpty()) {
        return false;
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        if (!ok) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Runs an HTTP server until the JVM is stopped (Ctrl-C).
   *
   * @param args {@code --backend NAME}, {@code --host ADDRESS} (default 127.0.0.1), {@code --port
   *     N} (default 8080; 0 picks a free port)
   * @throws Exception if the server cannot start
   */
  public static void main(String[] args) throws Exception {
    Args a = new Args("HttpServer", args);
    if (a.help()) {
      System.out.println(USAGE);
      return;
    }
    String backend;
    String host;
    int port;
    try {
      backend = a.option("--backend", null);
      host = a.option("--host", "127.0.0.1");
      port = a.intOption("--port", 8080, 0, 65535);
      a.done();
    } catch (Args.UsageError e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    HttpServer server = start(backend, new InetSocketAddress(host, port));
    PrintStream out = System.out;
    out.printf("http server on http://%s:%d/ (also /stats, /big), backend %s; Ctrl-C stops it%n",
        server.address().getAddress().getHostAddress(), server.address().getPort(),
        server.backendName());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (IOException e) {
        System.err.println(e.getMessage());
      }
      out.printf(Locale.ROOT, "%nserved %,d requests over %,d connections, CPU %.2f s%n",
          server.requestsServed(), server.connectionsAccepted(), server.cpuTimeNanos() / 1e9);
    }, "http-server-stop"));
    server.awaitTermination();
  }

  private static final String USAGE = String.join("\n",
      "usage: HttpServer [--backend NAME] [--host ADDRESS] [--port N] [--help]",
      "",
      "Runs a small HTTP/1.1 server on one poll4j event-loop thread until Ctrl-C:",
      "GET or HEAD of /, /stats and /big.",
      "",
      "  --backend NAME  epoll, poll, ...; default: -D" + Poll.BACKEND_PROPERTY
          + ", else the best available",
      "  --host ADDRESS  address to listen on (default 127.0.0.1)",
      "  --port N        port to listen on (default 8080; 0 picks a free one)");
}
