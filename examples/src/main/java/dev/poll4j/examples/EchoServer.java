package dev.poll4j.examples;

import dev.poll4j.Event;
import dev.poll4j.Interest;
import dev.poll4j.Poll;
import dev.poll4j.net.TcpStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * A TCP echo server: whatever a client sends comes back to it, on one poll4j event-loop thread.
 *
 * <pre>{@code
 * try (EchoServer server = EchoServer.start(null, new InetSocketAddress("127.0.0.1", 0))) {
 *   InetSocketAddress address = server.address(); // the port it got
 *   ...                                           // clients connect and send
 * }                                               // close(): stop, wake, join
 * }</pre>
 *
 * <p>Each connection owns one direct buffer. On every event it runs one loop: write out what
 * the buffer holds, then read more, until a read would block. When a write would block (the
 * client sends faster than it reads), the connection stops reading and waits for {@link
 * Interest#WRITABLE} alone, so a client that never reads is slowed down by TCP rather than
 * buffered without bound; once the buffer is written out it waits for {@link
 * Interest#READABLE} again. A read of {@code -1} (the client shut down its output) closes the
 * connection after everything received was echoed; a reset closes it at once. The accept loop,
 * tokens and stopping live in {@link TcpServer}.
 *
 * <pre>
 * usage: EchoServer [--backend NAME] [--host ADDRESS] [--port N]
 * </pre>
 */
public final class EchoServer extends TcpServer {
  /** Bytes each connection can hold between reading and echoing them. */
  static final int BUFFER_SIZE = 16 * 1024;

  // Bytes echoed so far, all connections together. Loop thread writes, anyone reads.
  private volatile long bytesEchoed;

  private EchoServer(String backend, InetSocketAddress address) throws IOException {
    super("echo-server", backend, address);
  }

  /**
   * Starts an echo server on its own event-loop thread.
   *
   * @param backend a backend name ({@code epoll}, {@code poll}, ...), or null for {@link
   *     Poll#open()}: the {@code poll4j.backend} property, else the best backend here
   * @param address where to listen; port 0 picks a free port, see {@link #address()}
   * @return the running server; {@link #close()} stops it
   * @throws IOException if the backend cannot be used or the address cannot be bound
   */
  public static EchoServer start(String backend, InetSocketAddress address) throws IOException {
    EchoServer server = new EchoServer(backend, address);
    server.start();
    return server;
  }

  /**
   * Bytes echoed so far, over all connections.
   *
   * @return the count
   */
  public long bytesEchoed() {
    return bytesEchoed;
  }

  @Override
  protected Connection accept(TcpStream stream) {
    return new Echo(stream);
  }

  /** One client: a buffer that is filled by reads and emptied by writes. */
  private final class Echo extends Connection {
    // In "fill" mode between calls: position = bytes received and not yet echoed.
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);

    Echo(TcpStream stream) {
      super(stream);
    }

    @Override
    protected boolean onReady(Event event) throws IOException {
      for (;;) {
        // 1. Echo what we hold.
        buffer.flip();
        while (buffer.hasRemaining()) {
          int n = stream.write(buffer);
          if (n == 0) {
            break; // the client's receive window and our send buffer are full
          }
          bytesEchoed += n;
        }
        boolean blocked = buffer.hasRemaining();
        buffer.compact();
        if (blocked) {
          interest(Interest.WRITABLE); // backpressure: read again once this is written
          return true;
        }
        interest(Interest.READABLE);
        // 2. Read more. The buffer is empty here, so a 0 means would-block.
        int n = stream.read(buffer);
        if (n == 0) {
          return true; // drained: the next readable event comes with new data
        }
        if (n < 0) {
          return false; // the client is done, and everything it sent has been echoed
        }
      }
    }
  }

  /**
   * Runs an echo server until the JVM is stopped (Ctrl-C).
   *
   * @param args {@code --backend NAME}, {@code --host ADDRESS} (default 127.0.0.1), {@code --port
   *     N} (default 7007; 0 picks a free port)
   * @throws Exception if the server cannot start
   */
  public static void main(String[] args) throws Exception {
    Args a = new Args("EchoServer", args);
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
      port = a.intOption("--port", 7007, 0, 65535);
      a.done();
    } catch (Args.UsageError e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    EchoServer server = start(backend, new InetSocketAddress(host, port));
    PrintStream out = System.out;
    out.printf("echo server on %s, backend %s; Ctrl-C stops it%n", server.address(),
        server.backendName());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (IOException e) {
        System.err.println(e.getMessage());
      }
      out.printf(Locale.ROOT, "%nechoed %,d bytes over %,d connections, CPU %.2f s%n",
          server.bytesEchoed(), server.connectionsAccepted(), server.cpuTimeNanos() / 1e9);
    }, "echo-server-stop"));
    server.awaitTermination();
  }

  private static final String USAGE = String.join("\n",
      "usage: EchoServer [--backend NAME] [--host ADDRESS] [--port N] [--help]",
      "",
      "Runs a TCP echo server on one poll4j event-loop thread until Ctrl-C.",
      "",
      "  --backend NAME  epoll, poll, ...; default: -D" + Poll.BACKEND_PROPERTY
          + ", else the best available",
      "  --host ADDRESS  address to listen on (default 127.0.0.1)",
      "  --port N        port to listen on (default 7007; 0 picks a free one)");
}
