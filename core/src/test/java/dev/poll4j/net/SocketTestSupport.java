package dev.poll4j.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the socket tests share: a {@link Polling} on the poll(2) backend, opened before and
 * closed after each test, and {@link #track} for what a test opens and wants closed then.
 */
abstract class SocketTestSupport {
  /** The loopback address with port 0. */
  static final InetSocketAddress LOOPBACK =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  Polling p;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  final void openPoll() throws IOException {
    p = Polling.open();
  }

  @AfterEach
  final void closeTracked() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    p.close();
  }

  /** Closes {@code c} after the test. */
  final <T extends AutoCloseable> T track(T c) {
    closeables.add(c);
    return c;
  }
}
