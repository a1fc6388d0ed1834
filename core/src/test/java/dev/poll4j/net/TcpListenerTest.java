package dev.poll4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.poll4j.Interest;
import dev.poll4j.Mode;
import dev.poll4j.NativeIOException;
import dev.poll4j.internal.posix.AcceptReserve;
import dev.poll4j.internal.posix.Errors;
import dev.poll4j.net.sys.Resource;
import dev.poll4j.spi.Ops;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The accept loop under pressure: at the open-files limit, and through many connections. */
@DisabledOnOs(
    value = OS.WINDOWS,
    disabledReason =
        "polls with core's poll(2) backend, which does not exist on Windows; there the"
            + " conformance suite runs the sockets on IOCP")
@Timeout(60)
class TcpListenerTest extends SocketTestSupport {
  static final long SERVER = 1;
  static final long CLIENT = 2;

  /** How long the accept loop runs at the limit, counting wake-ups. */
  static final Duration AT_LIMIT = Duration.ofMillis(500);

  /** Clients that connect while the server has no descriptor left. */
  static final int CLIENTS_AT_LIMIT = 3;

  /** The "N pending connection(s) ... closed unaccepted" of the accept failure's message. */
  static final Pattern CLOSED = Pattern.compile("(\\d+) pending connections? w(?:as|ere) closed");

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"EDGE", "LEVEL"})
  void acceptAtTheOpenFilesLimitShedsPendingConnectionsAndKeepsListening(Mode mode)
      throws IOException {
    Assumptions.assumeTrue(
        Resource.isSupported() && OpenFiles.available(),
        "needs Linux x86-64 or aarch64 (struct rlimit layout) and /proc/self/fd");
    TcpListener l = track(TcpListener.bind(LOOPBACK));
    InetSocketAddress address = l.localAddress();
    p.poll.registry().register(l, SERVER, Interest.READABLE, mode);
    assertTrue(AcceptReserve.descriptor() >= 0, "listening sets the spare descriptor aside");

    // Warm up: one connection the ordinary way, so that what the loop needs is loaded (at the
    // limit, loading a class from a directory fails for want of a descriptor).
    TcpStream first = track(TcpStream.connect(address));
    p.await(SERVER, Ops.READABLE);
    track(l.accept()).close();
    assertNull(l.accept());
    first.close();
    for (Class<?> c :
        List.of(AcceptReserve.Shed.class, Errors.class, NativeIOException.class, Matcher.class)) {
      load(c);
    }
    TcpStream[] clients = new TcpStream[CLIENTS_AT_LIMIT];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = track(TcpStream.open(StandardProtocolFamily.INET)); // descriptors first
    }

    int wakeups = 0;
    int acceptCalls = 0;
    List<TcpStream> accepted = new ArrayList<>();
    List<IOException> failures = new ArrayList<>();
    int fillers;
    try (FileLimit limit = FileLimit.exhaust()) {
      fillers = limit.fillers();
      for (TcpStream c : clients) {
        c.beginConnect(address);
      }
      long end = System.nanoTime() + AT_LIMIT.toNanos();
      for (long left = AT_LIMIT.toNanos(); left > 0; left = end - System.nanoTime()) {
        for (Polling.Seen e : p.once(Duration.ofNanos(Math.min(left, 50_000_000L)))) {
          if (e.token() != SERVER) {
            continue;
          }
          wakeups++;
          try {
            for (TcpStream s = l.accept(); s != null; s = l.accept()) {
              acceptCalls++;
              accepted.add(track(s));
            }
            acceptCalls++;
          } catch (IOException x) {
            acceptCalls++;
            failures.add(x);
          }
        }
      }
    }

    assertEquals(
        List.of(),
        accepted,
        "nothing can be accepted without a descriptor (" + fillers + " fillers took the rest)");
    assertTrue(wakeups >= 1, "the connections woke the accept loop");
    assertTrue(wakeups <= 5, "the accept loop spins: " + wakeups + " wake-ups in " + AT_LIMIT);
    assertTrue(acceptCalls <= 2 * wakeups, "accept calls: " + acceptCalls);
    int closed = 0;
    for (IOException x : failures) {
      NativeIOException n = assertInstanceOfNative(x);
      assertEquals("EMFILE", n.errnoName(), n.getMessage());
      Matcher m = CLOSED.matcher(n.getMessage());
      assertTrue(m.find(), n.getMessage());
      closed += Integer.parseInt(m.group(1));
    }
    assertEquals(CLIENTS_AT_LIMIT, closed, "pending connections closed, by " + failures);
    for (TcpStream c : clients) {
      assertEquals(-1, readSome(c, ByteBuffer.allocate(16)), "the client sees its end closed");
    }

    assertTrue(AcceptReserve.descriptor() >= 0, "the spare is set aside again after shedding");
    assertTrue(l.isOpen());
    assertNotNull(l.handle().registration(), "still registered");
    TcpStream late = track(TcpStream.connect(address));
    p.await(SERVER, Ops.READABLE); // the shed drained to would-block, which re-armed the listener
    TcpStream server = l.accept();
    assertNotNull(server, "accepts again once descriptors are free");
    track(server);
    p.poll.registry().register(late, CLIENT, Interest.WRITABLE);
    p.await(CLIENT, Ops.WRITABLE);
    assertTrue(late.finishConnect());
    assertEquals(1, late.write(ByteBuffer.wrap(new byte[] {7})));
    ByteBuffer one = ByteBuffer.allocate(1);
    assertEquals(1, readSome(server, one));
    assertEquals(7, one.get(0));
  }

  @Test
  @Timeout(120)
  void tenThousandConnectionsThroughTheListenerLeaveNoDescriptorBehind() throws IOException {
    Assumptions.assumeTrue(OpenFiles.available(), "needs /proc/self/fd");
    final int total = 10_000;
    final int batch = 500; // below the backlog: no connect waits for the queue
    SortedMap<Integer, String> before = OpenFiles.snapshot();
    int spareBefore = AcceptReserve.descriptor();
    long start = System.nanoTime();

    TcpListener l = TcpListener.bind(LOOPBACK);
    InetSocketAddress address = l.localAddress();
    p.poll.registry().register(l, SERVER, Interest.READABLE);
    TcpStream[] clients = new TcpStream[batch];
    int accepted = 0;
    try {
      for (int done = 0; done < total; done += batch) {
        for (int i = 0; i < batch; i++) {
          clients[i] = TcpStream.connect(address);
        }
        for (int got = 0; got < batch; ) {
          TcpStream s = l.accept();
          if (s == null) {
            p.await(SERVER, Ops.READABLE);
            continue;
          }
          s.close();
          got++;
          accepted++;
        }
        for (int i = 0; i < batch; i++) {
          // Reset rather than close, so that no TIME_WAIT is left behind on the host.
          clients[i].setOption(StandardSocketOptions.SO_LINGER, 0).close();
          clients[i] = null;
        }
      }
    } finally {
      for (TcpStream c : clients) {
        if (c != null) {
          c.close();
        }
      }
      l.close();
    }
    long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

    assertEquals(total, accepted);
    SortedMap<Integer, String> added = OpenFiles.added(before, OpenFiles.snapshot());
    if (spareBefore < 0) {
      added.remove(AcceptReserve.descriptor()); // the spare, set aside by the first listener
    }
    assertEquals(new TreeMap<Integer, String>(), added, "descriptors left open by the test");
    System.out.printf("%d connections opened and closed in %d ms%n", total, millis);
    assertTrue(millis < 60_000, total + " connections took " + millis + " ms");
  }

  private static void load(Class<?> c) {
    try {
      Class.forName(c.getName(), true, c.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  private static NativeIOException assertInstanceOfNative(IOException x) {
    if (x instanceof NativeIOException) {
      return (NativeIOException) x;
    }
    throw new AssertionError("expected a NativeIOException, got " + x, x);
  }

  /**
   * Reads as soon as there is something: the count, or -1 at end of stream or on a reset; fails
   * after {@link Polling#DEADLINE}.
   */
  private static int readSome(TcpStream s, ByteBuffer dst) throws IOException {
    long deadline = System.nanoTime() + Polling.DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      int n;
      try {
        n = s.read(dst);
      } catch (SocketException reset) {
        return -1;
      }
      if (n != 0) {
        return n;
      }
      Thread.onSpinWait();
    }
    fail("nothing to read from " + s + " within " + Polling.DEADLINE);
    return 0;
  }
}
