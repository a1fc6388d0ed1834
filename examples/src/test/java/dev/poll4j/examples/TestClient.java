package dev.poll4j.examples;

import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Mode;
import dev.poll4j.Poll;
import dev.poll4j.net.TcpStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * A blocking TCP client for the tests, built on poll4j itself: a {@link TcpStream} and a {@link
 * Poll} of its own, registered in {@link Mode#LEVEL} mode so that waiting is simply "poll until
 * ready". Every wait gives up after {@link #PATIENCE}. Reads go through a small buffer so that
 * lines and exact byte counts can be read.
 */
final class TestClient implements Closeable {
  static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final long TOKEN = 7;

  private final Poll poll;
  private final TcpStream stream;
  private final Events events = Events.withCapacity(4);
  private final ByteBuffer in = ByteBuffer.allocate(64 * 1024); // "read" mode between calls
  private Interest registered;

  private TestClient(Poll poll, TcpStream stream) {
    this.poll = poll;
    this.stream = stream;
    in.flip();
  }

  static TestClient connect(String backend, InetSocketAddress address) throws IOException {
    Poll poll = Poll.open(backend);
    TcpStream stream = null;
    try {
      stream = TcpStream.connect(address);
      TestClient c = new TestClient(poll, stream);
      poll.registry().register(stream, TOKEN, Interest.WRITABLE, Mode.LEVEL);
      c.registered = Interest.WRITABLE;
      while (!stream.finishConnect()) {
        c.await(Interest.WRITABLE);
      }
      return c;
    } catch (IOException | RuntimeException e) {
      if (stream != null) {
        stream.close();
      }
      poll.close();
      throw e;
    }
  }

  TcpStream stream() {
    return stream;
  }

  void send(String text) throws IOException {
    send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  void send(byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      if (stream.write(b) == 0) {
        await(Interest.WRITABLE);
      }
    }
  }

  /** Sends {@code text} one byte per write, with a short pause between, to split every read. */
  void sendSlowly(String text) throws IOException, InterruptedException {
    for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
      send(new byte[] {b});
      Thread.sleep(1);
    }
  }

  /** Reads one line, without its CRLF; null at end of stream. */
  String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (;;) {
      if (!in.hasRemaining() && !fill()) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
      }
      byte b = in.get();
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1
            : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
  }

  /** Reads exactly {@code n} bytes; fails at end of stream. */
  byte[] readExactly(int n) throws IOException {
    byte[] out = new byte[n];
    int filled = 0;
    while (filled < n) {
      if (!in.hasRemaining() && !fill()) {
        throw new IOException("end of stream after " + filled + " of " + n + " bytes");
      }
      int k = Math.min(in.remaining(), n - filled);
      in.get(out, filled, k);
      filled += k;
    }
    return out;
  }

  /** Reads until the server closes, and returns what came; a reset counts as a close. */
  byte[] readToEnd() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (;;) {
      if (!in.hasRemaining()) {
        try {
          if (!fill()) {
            return all.toByteArray();
          }
        } catch (SocketException e) { // "Connection reset"
          return all.toByteArray();
        }
      }
      byte[] chunk = new byte[in.remaining()];
      in.get(chunk);
      all.writeBytes(chunk);
    }
  }

  /** Whether the server closed the connection: the next read gives end of stream or a reset. */
  boolean closedByServer() throws IOException {
    try {
      return !in.hasRemaining() && !fill();
    } catch (SocketException e) {
      return true;
    }
  }

  // Reads more into 'in'; false at end of stream. Waits up to PATIENCE for data.
  private boolean fill() throws IOException {
    in.compact();
    try {
      for (;;) {
        int n = stream.read(in);
        if (n > 0) {
          return true;
        }
        if (n < 0) {
          return false;
        }
        await(Interest.READABLE);
      }
    } finally {
      in.flip();
    }
  }

  private void await(Interest what) throws IOException {
    if (registered != what) {
      poll.registry().reregister(stream, TOKEN, what, Mode.LEVEL);
      registered = what;
    }
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    do {
      if (poll.poll(events, PATIENCE) > 0) {
        return;
      }
    } while (System.nanoTime() - deadline < 0);
    throw new SocketTimeoutException("not " + what + " within " + PATIENCE.toMillis() + " ms");
  }

  @Override
  public void close() throws IOException {
    try {
      stream.close();
    } finally {
      poll.close();
    }
  }

  static byte[] concat(byte[]... parts) {
    int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }
}
