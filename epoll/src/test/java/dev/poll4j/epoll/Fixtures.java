package dev.poll4j.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.poll4j.spi.BackendSelector;
import dev.poll4j.spi.EventBuffer;
import dev.poll4j.spi.Ops;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Helpers shared by the selector tests, in the spirit of mio's tests/util. */
final class Fixtures {
  private Fixtures() {}

  static final long SHORT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  static final long LONG_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** Selects until an event with {@code token} and at least {@code bits} arrives; returns its bits. */
  static int expectEvent(BackendSelector s, EventBuffer buf, long token, int bits)
      throws IOException {
    long deadline = System.nanoTime() + LONG_NANOS;
    while (System.nanoTime() < deadline) {
      int n = s.select(buf, TimeUnit.MILLISECONDS.toNanos(100));
      for (int i = 0; i < n; i++) {
        if (buf.token(i) == token && (buf.ready(i) & bits) == bits) {
          return buf.ready(i);
        }
      }
    }
    fail("no event for token " + token + " with " + Ops.toString(bits));
    return 0;
  }

  /** Selects briefly and fails on any event. */
  static void expectNoEvents(BackendSelector s, EventBuffer buf) throws IOException {
    int n = s.select(buf, SHORT_NANOS);
    if (n != 0) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < n; i++) {
        sb.append(" token ").append(buf.token(i)).append('=').append(Ops.toString(buf.ready(i)));
      }
      fail("expected no events, got" + sb);
    }
  }

  /** Selects briefly and fails if {@code token} is reported. */
  static void expectNoEventFor(BackendSelector s, EventBuffer buf, long token) throws IOException {
    int n = s.select(buf, SHORT_NANOS);
    for (int i = 0; i < n; i++) {
      if (buf.token(i) == token) {
        fail("unexpected event for token " + token + ": " + Ops.toString(buf.ready(i)));
      }
    }
  }

  static ByteBuffer oneByte() {
    ByteBuffer b = ByteBuffer.allocateDirect(1);
    b.put(0, (byte) 42);
    return b;
  }

  static void drain(dev.poll4j.Pipe.Reader r) throws IOException {
    ByteBuffer b = ByteBuffer.allocateDirect(4096);
    while (true) {
      b.clear();
      if (r.read(b) <= 0) {
        return;
      }
    }
  }

  /**
   * The descriptor number behind an open stream on a regular file, found in /proc/self/fd (the
   * JDK does not expose it).
   */
  static int fdOf(FileInputStream in, Path file) throws IOException {
    assertEquals(true, in.getFD().valid());
    Path real = file.toRealPath();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path p : fds) {
        try {
          if (Files.readSymbolicLink(p).equals(real)) {
            return Integer.parseInt(p.getFileName().toString());
          }
        } catch (IOException gone) {
          // the directory stream's own descriptor, or one closed meanwhile
        }
      }
    }
    throw new IOException("no descriptor found for " + real);
  }
}
