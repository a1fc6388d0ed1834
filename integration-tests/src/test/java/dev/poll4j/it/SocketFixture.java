package dev.poll4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.poll4j.Interest;
import dev.poll4j.Source;
import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.net.TcpListener;
import dev.poll4j.net.TcpStream;
import dev.poll4j.net.UdpSocket;
import dev.poll4j.net.UnixAbstractAddress;
import dev.poll4j.net.UnixDatagram;
import dev.poll4j.net.UnixListener;
import dev.poll4j.net.UnixStream;
import dev.poll4j.spi.Ops;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the socket topics ({@link TcpConformance}, {@link UdpConformance}, {@link
 * UnixConformance}, {@link SocketServerConformance}) share: loopback sockets that are closed after
 * the test, connected pairs made without touching the test's {@code Poll}, byte-stream helpers with
 * NIO's return values, the check of peers.md 26 (an event is a subset of the interest plus the
 * error and closed bits), and the edge-driven bulk transfer of mio's tcp.rs.
 *
 * <p>Pairs are connected by bounded retries of {@code accept}/{@code finishConnect}, not through
 * {@link #poll()}, so a test's registrations start from a connected pair and its {@code Poll} has
 * seen nothing before.
 */
interface SocketFixture extends Fixture {
  /** 127.0.0.1 with port 0 (a literal: no name lookup). */
  InetSocketAddress LOCALHOST_V4 = new InetSocketAddress("127.0.0.1", 0);

  /** ::1 with port 0. */
  InetSocketAddress LOCALHOST_V6 = new InetSocketAddress("::1", 0);

  /** How long the pair helpers wait for a loopback connection before failing. */
  Duration CONNECT_DEADLINE = Duration.ofSeconds(5);

  /** The bits any event may carry beyond its registration's interest (peers.md 26). */
  int CONDITION_BITS = Ops.ERROR | Ops.READ_CLOSED | Ops.WRITE_CLOSED;

  /** Both closed bits, which must not appear before the peer closes anything (peers.md 20). */
  int CLOSED_BITS = Ops.READ_CLOSED | Ops.WRITE_CLOSED;

  // ---- making sockets --------------------------------------------------------------------------

  /** A TCP listener on 127.0.0.1, closed after the test. */
  default TcpListener tcpListener() throws IOException {
    return closeAfter(TcpListener.bind(LOCALHOST_V4));
  }

  /** A TCP stream connecting to {@code listener}, closed after the test. */
  default TcpStream tcpConnect(TcpListener listener) throws IOException {
    return closeAfter(TcpStream.connect(listener.localAddress()));
  }

  /**
   * A connected loopback TCP pair, both ends closed after the test, neither registered.
   *
   * @return {@code [client, server]}, the client's connect finished
   */
  default TcpStream[] tcpPair() throws IOException {
    return tcpPair(tcpListener());
  }

  /** As {@link #tcpPair()}, through {@code listener} (which must have nothing else pending). */
  default TcpStream[] tcpPair(TcpListener listener) throws IOException {
    TcpStream client = tcpConnect(listener);
    TcpStream server = acceptOne(listener);
    finishConnecting(client);
    return new TcpStream[] {client, server};
  }

  /** Accepts one connection, retrying until {@link #CONNECT_DEADLINE}; closed after the test. */
  default TcpStream acceptOne(TcpListener listener) throws IOException {
    long deadline = System.nanoTime() + CONNECT_DEADLINE.toNanos();
    for (; ; ) {
      TcpStream s = listener.accept();
      if (s != null) {
        return closeAfter(s);
      }
      if (System.nanoTime() > deadline) {
        fail("nothing to accept on " + listener + " within " + CONNECT_DEADLINE);
      }
      Fixture.sleep(1);
    }
  }

  /** Calls {@code finishConnect} until it returns true, at most {@link #CONNECT_DEADLINE}. */
  default void finishConnecting(TcpStream client) throws IOException {
    long deadline = System.nanoTime() + CONNECT_DEADLINE.toNanos();
    while (!client.finishConnect()) {
      if (System.nanoTime() > deadline) {
        fail(client + " not connected within " + CONNECT_DEADLINE);
      }
      Fixture.sleep(1);
    }
  }

  /**
   * An address of 127.0.0.1 where nothing listens: a listener bound there was closed again, so
   * connects are refused (peers.md 23).
   */
  default InetSocketAddress refusingAddress() throws IOException {
    try (TcpListener l = TcpListener.bind(LOCALHOST_V4)) {
      return l.localAddress();
    }
  }

  /** A UDP socket bound to 127.0.0.1, closed after the test. */
  default UdpSocket udpSocket() throws IOException {
    return closeAfter(UdpSocket.bind(LOCALHOST_V4));
  }

  /**
   * A connected Unix stream pair, both closed after the test: {@code UnixStream.pair()}, or where
   * there is no {@code socketpair} (Windows) a client connected to a listener on a fresh path,
   * and the end the listener accepted (the listener is closed again).
   *
   * @return {@code {a, b}}; without {@code socketpair}, {@code a} is the client
   */
  default UnixStream[] unixStreamPair() throws IOException {
    if (!caps().socketPairs()) {
      UnixDomainSocketAddress path =
          socketPath("pair-" + ThreadLocalRandom.current().nextInt(1 << 30));
      try (UnixListener listener = UnixListener.bind(path)) {
        UnixStream client = closeAfter(UnixStream.connect(path));
        UnixStream server = acceptOne(listener);
        long deadline = System.nanoTime() + CONNECT_DEADLINE.toNanos();
        while (!client.finishConnect()) {
          if (System.nanoTime() > deadline) {
            fail(client + " not connected within " + CONNECT_DEADLINE);
          }
          Fixture.sleep(1);
        }
        return new UnixStream[] {client, server};
      }
    }
    UnixStream[] pair = UnixStream.pair();
    closeAfter(pair[0]);
    closeAfter(pair[1]);
    return pair;
  }

  /** A connected Unix datagram pair, both closed after the test. */
  default UnixDatagram[] unixDatagramPair() throws IOException {
    UnixDatagram[] pair = UnixDatagram.pair();
    closeAfter(pair[0]);
    closeAfter(pair[1]);
    return pair;
  }

  /** A fresh socket path in {@link #tempDir()}, for {@code name}. */
  default UnixDomainSocketAddress socketPath(String name) throws IOException {
    return UnixDomainSocketAddress.of(tempDir().resolve(name + ".sock"));
  }

  /** A name in Linux's abstract namespace that no other test or run uses. */
  static UnixAbstractAddress uniqueAbstractName() {
    return UnixAbstractAddress.of(
        "poll4j-it-"
            + ProcessHandle.current().pid()
            + "-"
            + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE));
  }

  /** Accepts one Unix connection, retrying until {@link #CONNECT_DEADLINE}; closed after. */
  default UnixStream acceptOne(UnixListener listener) throws IOException {
    long deadline = System.nanoTime() + CONNECT_DEADLINE.toNanos();
    for (; ; ) {
      UnixStream s = listener.accept();
      if (s != null) {
        return closeAfter(s);
      }
      if (System.nanoTime() > deadline) {
        fail("nothing to accept on " + listener + " within " + CONNECT_DEADLINE);
      }
      Fixture.sleep(1);
    }
  }

  // ---- events --------------------------------------------------------------------------------

  /**
   * Asserts peers.md 26 for one event: its bits are a subset of {@code interest} plus the error
   * and closed bits. (Never empty is checked by every poll of {@link Expect}.)
   */
  static void assertWithinInterest(Expect.Seen s, Interest interest) {
    int extra = s.bits() & ~(interest.bits() | CONDITION_BITS);
    assertEquals(
        0,
        extra,
        () -> "26: " + s + " has " + Ops.toString(extra) + " beyond interest " + interest);
  }

  /** {@link #assertWithinInterest} for every event of {@code seen} that carries {@code token}. */
  static void assertWithinInterest(List<Expect.Seen> seen, long token, Interest interest) {
    for (Expect.Seen s : seen) {
      if (s.token() == token) {
        assertWithinInterest(s, interest);
      }
    }
  }

  /** Asserts that no event of {@code seen} for {@code token} claims a closed half (20). */
  static void assertNothingClosed(List<Expect.Seen> seen, long token, String when) {
    for (Expect.Seen s : seen) {
      if (s.token() == token) {
        assertEquals(0, s.bits() & CLOSED_BITS, () -> "20: closed bits " + when + ": " + s);
      }
    }
  }

  /** Polls once, for at most {@code timeout}, and copies the events out. */
  default List<Expect.Seen> pollFor(Duration timeout) throws IOException {
    return Expect.pollOnce(poll(), events(), timeout);
  }

  // ---- write errors --------------------------------------------------------------------------

  /** Whether this is Windows, where Winsock names the errors ({@code WSAE...}). */
  boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

  /**
   * What a write fails with after the stream's own {@code shutdownOutput()}: {@code EPIPE}; on
   * Windows {@code WSAESHUTDOWN}, the Winsock error poll4j's table gives for {@code EPIPE}.
   */
  String SHUT_DOWN_WRITE = Errno.name(Errno.EPIPE);

  /** Asserts {@code e} is the error of a write after the stream's own output shutdown. */
  static void assertWriteAfterShutdown(IOException e) {
    assertTrue(String.valueOf(e.getMessage()).contains(SHUT_DOWN_WRITE), e.toString());
  }

  /**
   * Asserts {@code e} is the error of a write to a connection the peer reset: {@code "Connection
   * reset"} ({@code ECONNRESET}, a {@link java.net.SocketException}), or on Windows also {@code
   * WSAECONNABORTED}, which Winsock reports once it has torn the connection down after the reset.
   */
  static void assertResetOrAborted(IOException e) {
    String m = String.valueOf(e.getMessage());
    boolean reset = e instanceof java.net.SocketException && m.equals("Connection reset");
    boolean aborted = WINDOWS && m.contains("WSAECONNABORTED");
    assertTrue(reset || aborted, "a reset" + (WINDOWS ? " or WSAECONNABORTED" : "") + ": " + e);
  }

  /**
   * Asserts {@code e} is the error of a write to a stream whose peer closed: {@code EPIPE} (on
   * Windows its table value, {@code WSAESHUTDOWN}), or, where the peer's reset comes first (TCP;
   * every stream on Windows), what {@link #assertResetOrAborted} accepts.
   */
  static void assertPeerGoneWrite(IOException e, boolean resetAllowed) {
    if (String.valueOf(e.getMessage()).contains(SHUT_DOWN_WRITE)) {
      return;
    }
    assertTrue(resetAllowed || WINDOWS, "a write to a closed peer: " + e);
    assertResetOrAborted(e);
  }

  // ---- byte streams --------------------------------------------------------------------------

  /** Writes all of {@code bytes}; fails if the stream would block (they must fit). */
  static void writeFully(WritableByteChannel ch, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      if (ch.write(b) == 0) {
        fail(ch + " would block after " + b.position() + " of " + bytes.length + " bytes");
      }
    }
  }

  /**
   * Reads until would-block and returns what was read; fails on end of stream.
   *
   * @return the bytes read, possibly none
   */
  static byte[] readAvailable(ReadableByteChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(64 * 1024);
    for (; ; ) {
      int r = ch.read(b);
      if (r < 0) {
        fail(ch + ": unexpected end of stream after " + b.position() + " bytes");
      }
      if (r == 0 && b.hasRemaining()) {
        return Arrays.copyOf(b.array(), b.position());
      }
      if (!b.hasRemaining()) {
        b = ByteBuffer.wrap(Arrays.copyOf(b.array(), b.capacity() * 2)).position(b.position());
      }
    }
  }

  /**
   * Reads exactly {@code n} bytes, retrying on would-block until a deadline (the data is on its
   * way through loopback); fails on end of stream.
   */
  static byte[] readExactly(ReadableByteChannel ch, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    long deadline = System.nanoTime() + CONNECT_DEADLINE.toNanos();
    while (b.hasRemaining()) {
      int r = ch.read(b);
      if (r < 0) {
        fail(ch + ": end of stream after " + b.position() + " of " + n + " bytes");
      }
      if (r == 0) {
        if (System.nanoTime() > deadline) {
          fail(ch + ": only " + b.position() + " of " + n + " bytes within " + CONNECT_DEADLINE);
        }
        Thread.onSpinWait();
      }
    }
    return b.array();
  }

  /** Writes until the write would block (returns 0): the send path is then full. */
  static long fillStream(WritableByteChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocateDirect(64 * 1024);
    long total = 0;
    long deadline = System.nanoTime() + CONNECT_DEADLINE.toNanos();
    for (; ; ) {
      b.clear();
      int w = ch.write(b);
      if (w == 0) {
        return total;
      }
      total += w;
      if (System.nanoTime() > deadline) {
        fail(ch + " never filled: " + total + " bytes written");
      }
    }
  }

  /** Reads and discards until would-block; fails on end of stream. */
  static long drainStream(ReadableByteChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocateDirect(64 * 1024);
    long total = 0;
    for (; ; ) {
      b.clear();
      int r = ch.read(b);
      if (r < 0) {
        fail(ch + ": unexpected end of stream after " + total + " bytes");
      }
      if (r == 0) {
        return total;
      }
      total += r;
    }
  }

  // ---- the bulk transfer of mio's tcp.rs -----------------------------------------------------

  /** The bytes a transfer sends: a repeating pattern of prime length, so offsets never align. */
  final class Pattern {
    static final int PERIOD = 65_521;
    static final int CHUNK = 256 * 1024;
    // The pattern, followed by its first CHUNK bytes again: any window of CHUNK is contiguous.
    private static final byte[] BYTES = new byte[PERIOD + CHUNK];
    private static final ByteBuffer DIRECT;

    static {
      for (int i = 0; i < BYTES.length; i++) {
        int k = i % PERIOD;
        BYTES[i] = (byte) (k * 31 + (k >>> 7));
      }
      DIRECT = ByteBuffer.allocateDirect(BYTES.length).put(BYTES).flip();
    }

    private Pattern() {}

    /** The {@code n} bytes (at most {@link #CHUNK}) of the stream at {@code offset}. */
    static ByteBuffer at(long offset, int n, boolean direct) {
      int from = (int) (offset % PERIOD);
      return direct
          ? DIRECT.duplicate().position(from).limit(from + n)
          : ByteBuffer.wrap(BYTES, from, n);
    }

    /** Whether {@code got} (flipped) is the stream's bytes at {@code offset}. */
    static boolean matches(ByteBuffer got, long offset) {
      int from = (int) (offset % PERIOD);
      int n = got.remaining();
      if (got.hasArray()) {
        int start = got.arrayOffset() + got.position();
        return Arrays.equals(got.array(), start, start + n, BYTES, from, from + n);
      }
      return got.equals(ByteBuffer.wrap(BYTES, from, n));
    }
  }

  /** What one bulk transfer saw, for its assertions and messages. */
  final class TransferStats {
    long events;
    long writableEvents;
    /** Writable events whose first write would block (libuv allows 5%: peers.md 26). */
    long spuriousWritable;
    long partialWrites;
    long wouldBlockWrites;

    @Override
    public String toString() {
      return events
          + " events, "
          + writableEvents
          + " writable ("
          + spuriousWritable
          + " spurious), "
          + partialWrites
          + " partial writes, "
          + wouldBlockWrites
          + " writes that would block";
    }
  }

  /**
   * Sends {@code total} bytes each way between two connected stream ends, on this thread, driven
   * only by edge events of {@link #poll()} (mio tcp.rs): an end writes only after a writable
   * event, and then until the write would block; it reads only after a readable event, and then
   * until the read would block. A lost event stalls the transfer, which fails after {@code max}.
   * End 0 uses heap buffers, end 1 direct ones. Every event is checked against its interest (26).
   *
   * @return what the transfer saw
   */
  default <S extends Source & ByteChannel> TransferStats transferBothWays(
      S a, S b, long total, Duration max) throws IOException {
    List<S> ends = List.of(a, b);
    Interest both = Interest.READABLE.add(Interest.WRITABLE);
    long base = 0x7A11_0000L;
    for (int i = 0; i < 2; i++) {
      registry().register(ends.get(i), base + i, both);
    }
    long[] sent = new long[2];
    long[] received = new long[2];
    ByteBuffer[] in = {ByteBuffer.allocate(100_000), ByteBuffer.allocateDirect(150_000)};
    TransferStats stats = new TransferStats();
    long deadline = System.nanoTime() + max.toNanos();
    while (sent[0] < total || sent[1] < total || received[0] < total || received[1] < total) {
      if (System.nanoTime() > deadline) {
        fail(
            "transfer stalled (a lost event?) after "
                + max
                + ": sent "
                + Arrays.toString(sent)
                + ", received "
                + Arrays.toString(received)
                + " of "
                + total
                + "; "
                + stats);
      }
      for (Expect.Seen e : pollFor(Duration.ofMillis(500))) {
        int i = (int) (e.token() - base);
        assertTrue(i == 0 || i == 1, "foreign token " + e);
        assertWithinInterest(e, both);
        assertEquals(0, e.bits() & CLOSED_BITS, () -> "20: nothing is closed yet: " + e);
        stats.events++;
        S s = ends.get(i);
        boolean direct = i == 1;
        if (e.has(Ops.WRITABLE)) {
          stats.writableEvents++;
          boolean first = true;
          while (sent[i] < total) {
            int want = (int) Math.min(Pattern.CHUNK, total - sent[i]);
            int n = s.write(Pattern.at(sent[i], want, direct));
            if (n == 0) {
              stats.wouldBlockWrites++;
              if (first) {
                stats.spuriousWritable++;
              }
              break;
            }
            first = false;
            if (n < want) {
              stats.partialWrites++;
            }
            sent[i] += n;
          }
        }
        if (e.has(Ops.READABLE)) {
          ByteBuffer buf = in[i];
          for (; ; ) {
            buf.clear();
            int n = s.read(buf);
            if (n == 0) {
              break;
            }
            assertTrue(n > 0, () -> "end " + e + ": end of stream in the middle of the transfer");
            buf.flip();
            if (!Pattern.matches(buf, received[i])) {
              fail("end " + i + ": wrong bytes at offset " + received[i] + " (" + n + " read)");
            }
            received[i] += n;
            assertTrue(received[i] <= total, "more bytes than were sent");
          }
        }
      }
    }
    for (S s : ends) {
      registry().deregister(s);
    }
    return stats;
  }
}
