package dev.poll4j.it;

import static dev.poll4j.it.Expect.readable;
import static dev.poll4j.it.SocketFixture.assertWithinInterest;
import static dev.poll4j.it.SocketFixture.readAvailable;
import static dev.poll4j.it.SocketFixture.writeFully;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Mode;
import dev.poll4j.NativeIOException;
import dev.poll4j.Poll;
import dev.poll4j.Source;
import dev.poll4j.net.TcpListener;
import dev.poll4j.net.TcpStream;
import dev.poll4j.net.UdpSocket;
import dev.poll4j.net.UnixDatagram;
import dev.poll4j.net.UnixListener;
import dev.poll4j.net.UnixStream;
import dev.poll4j.spi.Ops;
import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sockets at scale and over time, the server faults of DESIGN.md "Testing": 100 connected sockets
 * of which one is written (peers.md 18), 1,000 concurrent connections served by one poll loop, an
 * accept loop at the open-files limit,
 * random duplex traffic whose events must stay within their interest (26, libuv's poll_duplex),
 * and descriptors: every socket kind, on success and failure paths, gives back every descriptor.
 */
interface SocketServerConformance extends SocketFixture {

  // 18 (polling many_connections.rs): with 100 connected sockets registered, writing to a random
  // one gives exactly one event, with its token.
  @Test
  @Timeout(30)
  default void oneOfAHundredConnectedSocketsWrittenGivesExactlyItsEvent() throws Exception {
    int n = 100;
    TcpListener listener = tcpListener();
    TcpStream[] clients = new TcpStream[n];
    TcpStream[] servers = new TcpStream[n];
    for (int i = 0; i < n; i++) {
      clients[i] = tcpConnect(listener);
      servers[i] = acceptOne(listener); // the only connection pending: this client's
    }
    for (int i = 0; i < n; i++) {
      finishConnecting(clients[i]);
      registry().register(servers[i], 1000 + i, Interest.READABLE);
    }
    expectNoEvents();
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int round = 0; round < 25; round++) {
      int k = random.nextInt(n);
      byte b = (byte) random.nextInt();
      writeFully(clients[k], new byte[] {b});
      List<Expect.Seen> seen = expectEvents(readable(1000 + k));
      String where = "seed " + seed + ", round " + round + ", socket " + k + ": ";
      assertEquals(1, seen.size(), where + seen);
      assertWithinInterest(seen.get(0), Interest.READABLE);
      assertArrayEquals(new byte[] {b}, readAvailable(servers[k]), where + "the byte written");
      assertTrue(pollNow().isEmpty(), where + "an event after the drain");
    }
  }

  // DESIGN.md "Testing" (many connections), 14, 26: one poll loop on this thread serves 1,000
  // loopback connections that are all open at once: it accepts until null, reads until
  // would-block, answers each 8-byte request, and closes on end of stream. The clients run their
  // own poll loop (a second Poll on the same backend) on another thread, with at most 256
  // connections waiting for their answer, and close only after the last answer.
  @Test
  @Timeout(90)
  default void oneLoopServesAThousandConcurrentConnections() throws Exception {
    int n = 1000;
    long listenerToken = 1;
    long base = 10_000;
    TcpListener listener = tcpListener();
    InetSocketAddress address = listener.localAddress();
    registry().register(listener, listenerToken, Interest.READABLE);
    Poll clientPoll = openPoll();
    Async<Integer> clients = async("clients", () -> runClients(clientPoll, address, n));

    TcpStream[] conns = new TcpStream[n];
    long[] request = new long[n];
    int[] requestBytes = new int[n];
    int accepted = 0;
    int answered = 0;
    int closed = 0;
    int open = 0;
    int maxOpen = 0;
    ByteBuffer scratch = ByteBuffer.allocate(64);
    ByteBuffer answer = ByteBuffer.allocate(8);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (closed < n) {
      if (System.nanoTime() > deadline || clients.failure() != null) {
        if (clients.isDone()) {
          clients.get(Duration.ofSeconds(1)); // rethrows the clients' failure
        }
        fail(
            "server stalled: accepted "
                + accepted
                + ", answered "
                + answered
                + ", closed "
                + closed
                + " of "
                + n);
      }
      for (Expect.Seen e : pollFor(Duration.ofMillis(200))) {
        if (e.token() == listenerToken) {
          TcpStream s;
          while ((s = listener.accept()) != null) {
            assertTrue(accepted < n, "more connections than clients");
            conns[accepted] = closeAfter(s);
            registry().register(s, base + accepted, Interest.READABLE);
            accepted++;
            maxOpen = Math.max(maxOpen, ++open);
          }
          continue;
        }
        int k = (int) (e.token() - base);
        assertTrue(k >= 0 && k < accepted, "foreign token " + e);
        assertWithinInterest(e, Interest.READABLE);
        TcpStream s = conns[k];
        for (; ; ) {
          int r = s.read(scratch.clear());
          if (r == 0) {
            break;
          }
          if (r < 0) {
            assertEquals(8, requestBytes[k], "connection " + k + " closed before its request");
            s.close(); // ends the registration too
            closed++;
            open--;
            break;
          }
          assertTrue(requestBytes[k] + r <= 8, "connection " + k + " sent more than a request");
          for (int i = 0; i < r; i++) {
            request[k] = request[k] << 8 | (scratch.get(i) & 0xff);
          }
          requestBytes[k] += r;
          if (requestBytes[k] == 8) {
            answer.clear().putLong(~request[k]).flip();
            assertEquals(8, s.write(answer), "an 8-byte answer fits");
            answered++;
          }
        }
      }
    }
    assertEquals(n, clients.get(Duration.ofSeconds(10)), "answers the clients verified");
    assertEquals(n, accepted);
    assertEquals(n, answered);
    assertEquals(n, maxOpen, "all connections were open at once");
    assertTrue(listener.accept() == null, "nothing left to accept");
  }

  /**
   * The client side of {@link #oneLoopServesAThousandConcurrentConnections}: opens {@code n}
   * connections (at most 256 unanswered at a time), sends each an 8-byte request once it is
   * writable, checks each answer, and closes all of them after the last answer.
   *
   * @return the number of answers verified
   */
  private int runClients(Poll poll, InetSocketAddress address, int n) throws IOException {
    Interest both = Interest.READABLE.add(Interest.WRITABLE);
    TcpStream[] conns = new TcpStream[n];
    int[] state = new int[n]; // 0 connecting, 1 request sent, 2 answered
    long[] answer = new long[n];
    int[] answerBytes = new int[n];
    int opened = 0;
    int done = 0;
    Events events = Events.withCapacity(256);
    ByteBuffer scratch = ByteBuffer.allocate(64);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (done < n) {
      while (opened < n && opened - done < 256) {
        conns[opened] = closeAfter(TcpStream.connect(address));
        poll.registry().register(conns[opened], opened, both);
        opened++;
      }
      assertTrue(System.nanoTime() < deadline, "clients stalled: " + done + " of " + n);
      poll.poll(events, Duration.ofMillis(200));
      for (Event e : events) {
        int i = (int) e.token();
        int bits = e.readyBits();
        assertEquals(0, bits & ~(both.bits() | CONDITION_BITS), "26: " + e);
        assertEquals(0, bits & CLOSED_BITS, "20: the server closes nothing first: " + e);
        TcpStream c = conns[i];
        if (state[i] == 0 && (bits & Ops.WRITABLE) != 0 && c.finishConnect()) {
          ByteBuffer req = ByteBuffer.allocate(8).putLong(0x5EED_0000L + i).flip();
          assertEquals(8, c.write(req), "an 8-byte request fits");
          state[i] = 1;
        }
        if (state[i] == 1 && (bits & Ops.READABLE) != 0) {
          for (; ; ) {
            int r = c.read(scratch.clear());
            assertTrue(r >= 0, "client " + i + ": end of stream before the answer");
            if (r == 0) {
              break;
            }
            assertTrue(answerBytes[i] + r <= 8, "client " + i + ": more than an answer");
            for (int k = 0; k < r; k++) {
              answer[i] = answer[i] << 8 | (scratch.get(k) & 0xff);
            }
            answerBytes[i] += r;
            if (answerBytes[i] == 8) {
              assertEquals(~(0x5EED_0000L + i), answer[i], "client " + i + ": wrong answer");
              state[i] = 2;
              done++;
              break;
            }
          }
        }
      }
    }
    for (TcpStream c : conns) {
      c.close();
    }
    return done;
  }

  // DESIGN.md "Testing" (server faults), 14: TcpListener.accept's contract at the open-files
  // limit, on every backend (core's TcpListenerTest covers the poll backend in depth). With no
  // descriptor left, pending connections are shed (accept throws EMFILE, the clients see their
  // connection closed), a level registration does not spin on the listener, and once
  // descriptors are free the next connection gives an event (edge mode was re-armed by the
  // shed's would-block) and is accepted.
  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"EDGE", "LEVEL"})
  @Timeout(30)
  default void acceptAtTheOpenFilesLimitShedsWithoutSpinningAndKeepsListening(Mode mode)
      throws Exception {
    assumeTrue(
        FileLimit.supported(),
        "lowers RLIMIT_NOFILE: needs Linux on x86-64 or aarch64 (struct rlimit) and /proc");
    long token = 1;
    TcpListener listener = tcpListener();
    InetSocketAddress address = listener.localAddress();
    registry().register(listener, token, Interest.READABLE, mode);
    // Warm-up: the same loop the ordinary way, and the failure's class, so that the exhausted
    // stretch loads nothing (a class is not loaded from a directory without a descriptor).
    TcpStream first = tcpConnect(listener);
    AcceptStretch warm = acceptFor(listener, token, Duration.ofMillis(100));
    assertEquals(1, warm.accepted, "the warm-up connection");
    first.close();
    for (String name :
        new String[] {
          "dev.poll4j.NativeIOException",
          "dev.poll4j.internal.posix.AcceptReserve$Shed",
          "dev.poll4j.internal.posix.Errors"
        }) {
      try {
        Class.forName(name);
      } catch (ClassNotFoundException renamed) {
        // core's internals moved: the stretch loads it, from a jar that is open already
      }
    }
    TcpStream[] clients = new TcpStream[3];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = closeAfter(TcpStream.open(StandardProtocolFamily.INET)); // descriptors first
    }
    AcceptStretch atLimit;
    int fillers;
    try (FileLimit limit = FileLimit.exhaust()) {
      fillers = limit.fillers();
      for (TcpStream c : clients) {
        c.beginConnect(address);
      }
      atLimit = acceptFor(listener, token, Duration.ofMillis(400));
    }
    String what = mode + " at the limit (" + fillers + " fillers): " + atLimit;
    assertEquals(0, atLimit.accepted, what + ": accepted without a descriptor");
    assertTrue(atLimit.wakeups >= 1, what + ": the connections woke nobody");
    assertTrue(atLimit.wakeups <= 5, what + ": the accept loop spins");
    assertTrue(atLimit.failureCount >= 1, what + ": accept never reported the limit");
    for (int i = 0; i < atLimit.failureCount; i++) {
      IOException x = atLimit.failures[i];
      assertTrue(x instanceof NativeIOException, what + ": " + x);
      assertEquals("EMFILE", ((NativeIOException) x).errnoName(), x.getMessage());
    }
    for (TcpStream c : clients) {
      assertEquals(-1, readEndOrReset(c), what + ": the shed client's connection is not closed");
    }
    TcpStream late = tcpConnect(listener);
    List<Expect.Seen> seen = expectEvents(readable(token));
    assertWithinInterest(seen, token, Interest.READABLE);
    TcpStream server = acceptOne(listener);
    finishConnecting(late);
    writeFully(late, new byte[] {7});
    assertArrayEquals(new byte[] {7}, SocketFixture.readExactly(server, 1));
  }

  /** What {@link #acceptFor} saw. */
  final class AcceptStretch {
    int wakeups;
    int accepted;
    final IOException[] failures = new IOException[64];
    int failureCount;

    @Override
    public String toString() {
      return wakeups + " wake-ups, " + accepted + " accepted, " + failureCount + " failures";
    }
  }

  /**
   * Polls for {@code time}; on each event for {@code token}, accepts until null (closing what it
   * accepts) or until accept throws. Allocates little and loads no class once warmed up.
   */
  private AcceptStretch acceptFor(TcpListener listener, long token, Duration time) {
    AcceptStretch r = new AcceptStretch();
    Poll poll = poll();
    Events events = events();
    long end = System.nanoTime() + time.toNanos();
    for (long left = time.toNanos(); left > 0; left = end - System.nanoTime()) {
      int n;
      try {
        n = poll.poll(events, Duration.ofNanos(Math.min(left, 50_000_000L)));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      for (int i = 0; i < n; i++) {
        if (events.get(i).token() != token) {
          continue;
        }
        r.wakeups++;
        try {
          for (TcpStream s = listener.accept(); s != null; s = listener.accept()) {
            r.accepted++;
            s.close();
          }
        } catch (IOException x) {
          if (r.failureCount < r.failures.length) {
            r.failures[r.failureCount++] = x;
          }
        }
      }
    }
    return r;
  }

  /** Reads until end of stream or a reset (-1), failing after {@link #CONNECT_DEADLINE}. */
  private static int readEndOrReset(TcpStream s) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16);
    long deadline = System.nanoTime() + CONNECT_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        int n = s.read(b.clear());
        if (n != 0) {
          return n;
        }
      } catch (SocketException reset) {
        return -1;
      }
      Fixture.sleep(1);
    }
    return 0;
  }

  // 26 (libuv test-poll.c poll_duplex), 3, 20: random traffic over TCP and Unix stream pairs,
  // with random interests and modes changed by reregister as it goes: every event is a subset of
  // the registration's current interest plus the error and closed bits, never empty, never
  // carries a replaced token, and never claims a closed half (nothing is closed).
  @Test
  @Timeout(30)
  default void eventsOfRandomDuplexTrafficStayWithinTheirCurrentInterest() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<End> ends = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      TcpStream[] p = tcpPair();
      ends.add(new End(p[0], p[0], p[0]));
      ends.add(new End(p[1], p[1], p[1]));
    }
    for (int i = 0; i < 2; i++) {
      UnixStream[] p = unixStreamPair();
      ends.add(new End(p[0], p[0], null));
      ends.add(new End(p[1], p[1], null));
    }
    Interest[] interests = new Interest[Ops.ALL_INTEREST];
    for (int bits = 1; bits <= Ops.ALL_INTEREST; bits++) {
      interests[bits - 1] = Interest.ofBits(bits);
    }
    Mode[] modes = Mode.values();
    Map<Long, End> byToken = new HashMap<>();
    Set<Long> retired = new HashSet<>();
    long nextToken = 100;
    for (End e : ends) {
      e.token = nextToken++;
      e.interest = interests[random.nextInt(interests.length)];
      e.mode = modes[random.nextInt(modes.length)];
      registry().register(e.source, e.token, e.interest, e.mode);
      byToken.put(e.token, e);
    }
    ByteBuffer out = ByteBuffer.allocate(4096);
    ByteBuffer in = ByteBuffer.allocate(4096);
    long events = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    for (int round = 0; round < 400 && System.nanoTime() < deadline; round++) {
      String where = "seed " + seed + ", round " + round + ": ";
      End w = ends.get(random.nextInt(ends.size()));
      w.channel.write(out.clear().limit(1 + random.nextInt(2000)));
      if (w.tcp != null && random.nextInt(20) == 0) {
        w.tcp.sendUrgentData(random.nextInt(256));
      }
      if (random.nextInt(8) == 0) {
        End r = ends.get(random.nextInt(ends.size()));
        retired.add(r.token);
        byToken.remove(r.token);
        r.token = nextToken++;
        r.interest = interests[random.nextInt(interests.length)];
        r.mode = modes[random.nextInt(modes.length)];
        registry().reregister(r.source, r.token, r.interest, r.mode);
        byToken.put(r.token, r);
      }
      for (Expect.Seen s : pollFor(Duration.ofMillis(2))) {
        events++;
        assertTrue(!retired.contains(s.token()), where + "3: a replaced token came back: " + s);
        End e = byToken.get(s.token());
        assertTrue(e != null, where + "a token never registered: " + s);
        int extra = s.bits() & ~(e.interest.bits() | CONDITION_BITS);
        assertEquals(0, extra, where + "26: " + s + " beyond " + e.interest + " (" + e.mode + ")");
        assertEquals(0, s.bits() & CLOSED_BITS, where + "20: nothing is closed: " + s);
        if (s.has(Ops.PRIORITY) && e.tcp != null) {
          e.tcp.readUrgentData();
        }
        if (s.has(Ops.READABLE)) {
          if (random.nextBoolean()) {
            SocketFixture.drainStream(e.channel);
          } else {
            int r = e.channel.read(in.clear().limit(1 + random.nextInt(4096)));
            assertTrue(r >= 0, where + "end of stream");
          }
        }
        if (s.has(Ops.WRITABLE) && random.nextBoolean()) {
          e.channel.write(out.clear().limit(1 + random.nextInt(4096)));
        }
      }
    }
    assertTrue(events > 20, "seed " + seed + ": only " + events + " events: the test saw little");
  }

  /** One end of a pair in {@link #eventsOfRandomDuplexTrafficStayWithinTheirCurrentInterest}. */
  final class End {
    final Source source;
    final ByteChannel channel;
    final TcpStream tcp; // null for Unix streams: no urgent data
    long token;
    Interest interest;
    Mode mode;

    End(Source source, ByteChannel channel, TcpStream tcp) {
      this.source = source;
      this.channel = channel;
      this.tcp = tcp;
    }
  }

  // 41 for sockets, and DESIGN.md "Testing": opening, registering and closing every kind of
  // socket, through success and failure paths (refused connects, addresses in use, missing
  // paths), 50 times over, leaves the descriptor table as it was.
  @Test
  @Timeout(60)
  default void socketsOfEveryKindGiveBackEveryDescriptor() throws Exception {
    assumeTrue(ProcFs.available(), "needs /proc/self/fd to count descriptors");
    socketRound(0); // warm-up: classes, native libraries and per-thread buffers are loaded
    TreeMap<Integer, String> before = ProcFs.openFds();
    for (int round = 1; round <= 50; round++) {
      socketRound(round);
    }
    ProcFs.assertSameDescriptors(before);
  }

  private void socketRound(int round) throws Exception {
    Poll poll = poll();
    try (TcpListener listener = TcpListener.bind(LOCALHOST_V4);
        TcpStream client = TcpStream.connect(listener.localAddress());
        TcpStream server = acceptWithin(listener)) {
      poll.registry().register(client, 1, Interest.READABLE.add(Interest.WRITABLE));
      poll.registry().register(server, 2, Interest.READABLE);
      assertThrows(BindException.class, () -> TcpListener.bind(listener.localAddress()).close());
      // Closed while registered: close ends the registration.
    }
    try {
      TcpStream refused = TcpStream.connect(refusingAddress());
      try {
        long deadline = System.nanoTime() + CONNECT_DEADLINE.toNanos();
        while (!refused.finishConnect()) {
          assertTrue(System.nanoTime() < deadline, "the refusal never came");
          Fixture.sleep(1);
        }
        fail("connected to an address where nothing listens");
      } catch (ConnectException expected) {
        // the refusal
      } finally {
        refused.close();
      }
    } catch (ConnectException refusedAtOnce) {
      // also a refusal
    }
    try (UdpSocket udp = UdpSocket.bind(LOCALHOST_V4)) {
      poll.registry().register(udp, 3, Interest.READABLE);
      assertThrows(BindException.class, () -> UdpSocket.bind(udp.localAddress()).close());
    }
    UnixDomainSocketAddress path = socketPath("round-" + round);
    try (UnixListener listener = UnixListener.bind(path);
        UnixStream client = UnixStream.connect(path);
        UnixStream server = acceptWithin(listener)) {
      poll.registry().register(server, 4, Interest.READABLE);
      assertThrows(BindException.class, () -> UnixListener.bind(path).close());
      assertThrows(BindException.class, () -> UnixDatagram.bind(path).close());
      client.shutdownOutput();
    }
    assertThrows(IOException.class, () -> UnixStream.connect(socketPath("missing")).close());
    UnixStream[] streams = UnixStream.pair();
    UnixDatagram[] datagrams = UnixDatagram.pair();
    poll.registry().register(streams[0], 5, Interest.READABLE);
    poll.registry().register(datagrams[0], 6, Interest.READABLE);
    for (Source s : new Source[] {streams[0], streams[1], datagrams[0], datagrams[1]}) {
      ((Closeable) s).close();
    }
    try (UnixListener abstractListener = UnixListener.bind(SocketFixture.uniqueAbstractName());
        UnixDatagram unbound = UnixDatagram.unbound()) {
      poll.registry().register(abstractListener, 7, Interest.READABLE);
      poll.registry().register(unbound, 8, Interest.WRITABLE);
    }
    List<Expect.Seen> seen = Expect.pollOnce(poll, events(), Duration.ZERO);
    assertTrue(seen.isEmpty(), "9: events for sockets closed while registered: " + seen);
  }

  private static TcpStream acceptWithin(TcpListener listener) throws IOException {
    long deadline = System.nanoTime() + CONNECT_DEADLINE.toNanos();
    TcpStream s;
    while ((s = listener.accept()) == null) {
      assertTrue(System.nanoTime() < deadline, "nothing to accept");
      Fixture.sleep(1);
    }
    return s;
  }

  private static UnixStream acceptWithin(UnixListener listener) throws IOException {
    long deadline = System.nanoTime() + CONNECT_DEADLINE.toNanos();
    UnixStream s;
    while ((s = listener.accept()) == null) {
      assertTrue(System.nanoTime() < deadline, "nothing to accept");
      Fixture.sleep(1);
    }
    return s;
  }
}
