package dev.poll4j.containers.inside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.NativeIOException;
import dev.poll4j.Poll;
import dev.poll4j.net.TcpListener;
import dev.poll4j.net.TcpStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A server at the open-files limit ({@code --ulimit nofile=256}): accept fails with {@code EMFILE}
 * without losing the listener, the queued connections are shed rather than left to spin on, and the
 * listener accepts again once descriptors are free. Only the public API is used.
 *
 * <p>While the descriptor table is full the JVM cannot open a class file either, so everything this
 * check needs is loaded before it fills the table (classes from jars need no new descriptor; this
 * class's directory does).
 */
public class OpenFilesLimitCheck {
  /** System property: the open-files limit the container must have. */
  static final String LIMIT_PROPERTY = "poll4j.expect.nofile";

  private static final long LISTENER = 1;
  private static final long LATE = 2;
  private static final long ACCEPTED = 3;
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  /**
   * The JVM arguments that set this check's expectation.
   *
   * @param limit the soft and hard {@code RLIMIT_NOFILE} of the container
   * @return {@code -D} arguments
   */
  public static String[] expect(int limit) {
    return new String[] {"-D" + LIMIT_PROPERTY + "=" + limit};
  }

  @Test
  void acceptAtTheLimitShedsQueuedConnectionsAndTheListenerSurvives() throws Exception {
    long limit = Long.parseLong(System.getProperty(LIMIT_PROPERTY));
    assertEquals(limit, openFilesLimit(), "soft RLIMIT_NOFILE in /proc/self/limits");
    List<AutoCloseable> filler = new ArrayList<>();
    List<TcpStream> queued = new ArrayList<>();
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    try (Poll poll = Poll.open();
        TcpListener listener = TcpListener.bind(loopback)) {
      Events events = Events.withCapacity(16);
      poll.registry().register(listener, LISTENER, Interest.READABLE);
      InetSocketAddress address = listener.localAddress();
      assertEquals(null, listener.accept(), "accept with nothing queued");

      // Three connections wait in the accept queue (the kernel completes loopback handshakes).
      for (int i = 0; i < 3; i++) {
        queued.add(TcpStream.connect(address));
      }
      assertTrue(listenerEvent(poll, events), "no readable event for three queued connections");

      // Fill the descriptor table; socket() itself must then fail with EMFILE.
      NativeIOException full = null;
      while (full == null) {
        try {
          filler.add(TcpStream.open(StandardProtocolFamily.INET));
        } catch (NativeIOException e) {
          full = e;
        }
        if (filler.size() > limit) {
          fail("opened " + filler.size() + " sockets under a limit of " + limit);
        }
      }
      assertEquals("EMFILE", full.errnoName(), full.getMessage());

      // accept at the limit: EMFILE, and the queue is emptied rather than left to spin on.
      NativeIOException atLimit = assertThrows(NativeIOException.class, listener::accept);
      String message = atLimit.getMessage();
      assertEquals("EMFILE", atLimit.errnoName(), message);
      // Each queued client sees its connection closed (end of stream or a reset).
      for (TcpStream client : queued) {
        assertTrue(closedByPeer(client), "a shed connection was not closed: " + client);
      }
      // Edge-triggered and drained: the listener is quiet, not spinning.
      poll.poll(events, Duration.ofMillis(200));
      for (Event e : events) {
        assertTrue(e.token() != LISTENER, "listener event after the queue was shed: " + e);
      }

      // Free ten descriptors: the next connection is accepted and carries data both ways.
      for (int i = 0; i < 10; i++) {
        filler.remove(filler.size() - 1).close();
      }
      try (TcpStream late = TcpStream.connect(address)) {
        poll.registry().register(late, LATE, Interest.READABLE);
        assertTrue(
            listenerEvent(poll, events), "no listener event for a new connection at the limit");
        TcpStream accepted = acceptWithin(listener);
        assertNotNull(accepted, "accept after descriptors were freed");
        try (accepted) {
          poll.registry().register(accepted, ACCEPTED, Interest.READABLE);
          assertEquals("ping", exchange(poll, events, late, accepted, ACCEPTED, "ping"));
          assertEquals("pong", exchange(poll, events, accepted, late, LATE, "pong"));
        }
      }
      System.out.println(
          "at the limit of "
              + limit
              + " descriptors: socket() failed with "
              + full.errnoName()
              + "; accept: "
              + message);
    } finally {
      for (AutoCloseable c : filler) {
        c.close();
      }
      for (TcpStream c : queued) {
        c.close();
      }
    }
  }

  private static long openFilesLimit() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
      if (line.startsWith("Max open files")) {
        return Long.parseLong(line.substring("Max open files".length()).strip().split("\\s+")[0]);
      }
    }
    throw new IOException("no 'Max open files' line in /proc/self/limits");
  }

  private static boolean listenerEvent(Poll poll, Events events) throws IOException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      poll.poll(events, Duration.ofMillis(100));
      for (Event e : events) {
        if (e.token() == LISTENER && e.isReadable()) {
          return true;
        }
      }
    }
    return false;
  }

  private static TcpStream acceptWithin(TcpListener listener) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      TcpStream s = listener.accept();
      if (s != null) {
        return s;
      }
      Thread.sleep(10);
    }
    return null;
  }

  // Whether the peer closed the stream (read gives -1, or fails with a reset) within the deadline.
  private static boolean closedByPeer(TcpStream s) throws InterruptedException {
    ByteBuffer buf = ByteBuffer.allocate(64);
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        buf.clear();
        if (s.read(buf) < 0) {
          return true;
        }
      } catch (IOException reset) {
        return true;
      }
      Thread.sleep(10);
    }
    return false;
  }

  // Writes text on one stream and reads it from the other, polling for the reader's token.
  private static String exchange(
      Poll poll, Events events, TcpStream from, TcpStream to, long toToken, String text)
      throws IOException {
    ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    while (out.hasRemaining()) {
      from.write(out);
    }
    ByteBuffer in = ByteBuffer.allocate(text.length());
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (in.hasRemaining() && System.nanoTime() < deadline) {
      poll.poll(events, Duration.ofMillis(100));
      for (Event e : events) {
        if (e.token() == toToken) {
          while (in.hasRemaining() && to.read(in) > 0) {
            // drain to would-block (edge-triggered)
          }
        }
      }
    }
    return new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
  }
}
