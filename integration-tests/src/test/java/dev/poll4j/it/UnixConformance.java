package dev.poll4j.it;

import static dev.poll4j.it.Expect.count;
import static dev.poll4j.it.Expect.event;
import static dev.poll4j.it.Expect.readable;
import static dev.poll4j.it.Expect.writable;
import static dev.poll4j.it.SocketFixture.assertNothingClosed;
import static dev.poll4j.it.SocketFixture.assertWithinInterest;
import static dev.poll4j.it.SocketFixture.fillStream;
import static dev.poll4j.it.SocketFixture.readAvailable;
import static dev.poll4j.it.SocketFixture.readExactly;
import static dev.poll4j.it.SocketFixture.writeFully;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.poll4j.Interest;
import dev.poll4j.Mode;
import dev.poll4j.net.UnixAbstractAddress;
import dev.poll4j.net.UnixDatagram;
import dev.poll4j.net.UnixListener;
import dev.poll4j.net.UnixStream;
import dev.poll4j.spi.Ops;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Unix domain sockets: mio's unix_stream.rs, unix_listener.rs, unix_datagram.rs and
 * regressions.rs #1403; stream pairs, listeners on paths and in Linux's abstract namespace,
 * datagrams bound, unbound and paired; peers.md 1, 3, 5, 9, 14, 19-21, 24, 26. On Windows
 * (AF_UNIX streams only, no {@code socketpair}) the datagram parts are left out and stream pairs
 * are connected through a listener on a path.
 */
interface UnixConformance extends SocketFixture {
  Interest BOTH = Interest.READABLE.add(Interest.WRITABLE);

  /** An empty {@code UnixDomainSocketAddress}: what an unnamed Unix socket's address reads as. */
  UnixDomainSocketAddress UNNAMED = UnixDomainSocketAddress.of("");

  /** Skips the test where Unix domain datagram sockets do not exist (Windows). */
  private void assumeUnixDatagrams() {
    assumeTrue(
        caps().unixDatagrams(),
        "Unix domain datagram sockets do not exist here: Windows' AF_UNIX is SOCK_STREAM only");
  }

  /** Skips the test where Linux's abstract namespace does not exist. */
  private static void assumeAbstractNamespace() {
    assumeTrue(
        System.getProperty("os.name", "").startsWith("Linux"),
        "the abstract namespace of Unix sockets is Linux-only");
  }

  // 1 (unix_stream_register, unix_listener_register, unix_datagram_register): idle Unix
  // sockets give no event.
  @Test
  @Timeout(10)
  default void idleUnixSocketsGiveNoEvent() throws Exception {
    UnixListener listener = closeAfter(UnixListener.bind(socketPath("idle")));
    UnixStream[] pair = unixStreamPair();
    registry().register(listener, 1, Interest.READABLE);
    registry().register(pair[0], 2, Interest.READABLE);
    registry().register(pair[1], 3, Interest.READABLE);
    if (caps().unixDatagrams()) {
      UnixDatagram datagram = closeAfter(UnixDatagram.bind(socketPath("idle-dgram")));
      registry().register(datagram, 4, Interest.READABLE);
    }
    expectNoEvents();
  }

  // unix_listener.rs smoke, 14: a listener on a path: one event for pending connections, accept
  // until null, then a new connection gives a new event; the accepted streams talk.
  @Test
  @Timeout(10)
  default void unixListenerOnAPathAcceptsUntilNullAndStreamsTalk() throws Exception {
    UnixDomainSocketAddress path = socketPath("listener");
    UnixListener listener = closeAfter(UnixListener.bind(path));
    assertTrue(Files.exists(path.getPath()), "bind creates the socket file");
    assertEquals(path, listener.localAddress());
    assertNull(listener.accept());
    registry().register(listener, 1, Interest.READABLE);
    expectNoEvents();
    UnixStream c1 = closeAfter(UnixStream.connect(path.getPath()));
    UnixStream c2 = closeAfter(UnixStream.connect(path));
    assertTrue(c1.finishConnect(), "a Unix connect completes at once");
    List<Expect.Seen> seen = expectEvents(readable(1));
    assertWithinInterest(seen, 1, Interest.READABLE);
    UnixStream s1 = closeAfter(listener.accept());
    UnixStream s2 = closeAfter(listener.accept());
    assertNotNull(s1);
    assertNotNull(s2);
    assertNull(listener.accept(), "accepted until null");
    expectNoEvents();
    closeAfter(UnixStream.connect(path));
    seen = expectEvents(readable(1));
    assertEquals(1, count(seen, 1), "one new connection, one event: " + seen);
    assertNotNull(acceptOne(listener));
    assertEquals(path, c2.peerAddress());
    assertEquals(UNNAMED, s1.peerAddress(), "a connecting client is unnamed");
    registry().register(s1, 2, Interest.READABLE);
    registry().register(c1, 3, BOTH);
    expectEvents(writable(3));
    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
    writeFully(c1, hello);
    expectEvents(readable(2));
    assertArrayEquals(hello, readAvailable(s1));
    writeFully(s1, new byte[] {1, 2});
    seen = expectEvents(readable(3));
    assertNothingClosed(seen, 3, "with data");
    assertArrayEquals(new byte[] {1, 2}, readAvailable(c1));
  }

  // 14, 15, 20 (unix_stream_pair, unix_stream_smoke): a pair is writable at once, with nothing
  // closed; reads would block; data goes both ways, peeked, gathered and scattered.
  @Test
  @Timeout(10)
  default void unixStreamPairExchangesDataBothWays() throws Exception {
    UnixStream[] pair = unixStreamPair();
    assertEquals(UNNAMED, pair[0].localAddress());
    assertTrue(pair[0].finishConnect());
    registry().register(pair[0], 1, BOTH);
    registry().register(pair[1], 2, BOTH);
    List<Expect.Seen> seen = expectEvents(writable(1), writable(2));
    assertNothingClosed(seen, 1, "on a fresh pair");
    assertNothingClosed(seen, 2, "on a fresh pair");
    ByteBuffer buf = ByteBuffer.allocate(64);
    assertEquals(0, pair[0].read(buf), "would block");
    assertEquals(0, pair[0].peek(buf), "would block");
    ByteBuffer[] gather = {
      ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.allocateDirect(1).put((byte) 3).flip()
    };
    assertEquals(3, pair[0].write(gather));
    expectEvents(readable(2));
    assertEquals(3, pair[1].peek(buf));
    ByteBuffer a = ByteBuffer.allocateDirect(1);
    ByteBuffer b = ByteBuffer.allocate(8);
    assertEquals(3, pair[1].read(new ByteBuffer[] {a, b}), "the peek consumed nothing");
    assertEquals(1, a.get(0));
    assertEquals(3, b.get(1));
    assertEquals(0, pair[1].read(b.clear()), "would block");
    writeFully(pair[1], new byte[] {4, 5});
    expectEvents(readable(1));
    assertArrayEquals(new byte[] {4, 5}, readAvailable(pair[0]));
    assertNull(pair[0].takeError());
  }

  // tcp.rs's 16 MiB transfer over a Unix stream pair (14, 26).
  @Test
  @Timeout(60)
  default void unixStreamTransfers16MiBBothWaysDrivenOnlyByEdgeEvents() throws Exception {
    UnixStream[] pair = unixStreamPair();
    TransferStats stats = transferBothWays(pair[0], pair[1], 16L << 20, Duration.ofSeconds(40));
    assertTrue(stats.partialWrites > 0, "the send buffer never filled: " + stats);
    assertTrue(stats.wouldBlockWrites > 0, "no write ever would block: " + stats);
    assertTrue(
        stats.spuriousWritable * 20 <= stats.writableEvents,
        "26: more than 5% of the writable events were spurious: " + stats);
  }

  // 19, 20 (unix_stream_shutdown_write, unix_stream_shutdown_listener_write): the peer's
  // shutdownOutput gives read-closed after its data, and nothing is closed before it.
  @Test
  @Timeout(10)
  default void unixPeerShutdownOutputGivesReadClosedAndNothingClosedBefore() throws Exception {
    UnixStream[] pair = unixStreamPair();
    registry().register(pair[1], 1, BOTH);
    List<Expect.Seen> seen = expectEvents(writable(1));
    assertNothingClosed(seen, 1, "on a fresh pair");
    writeFully(pair[0], new byte[] {1, 2, 3});
    seen = expectEvents(readable(1));
    assertNothingClosed(seen, 1, "with data, before the shutdown");
    assertArrayEquals(new byte[] {1, 2, 3}, readAvailable(pair[1]));
    pair[0].shutdownOutput();
    seen = expectEvents(event(1, Ops.READABLE | Ops.READ_CLOSED));
    assertWithinInterest(seen, 1, BOTH);
    assertEquals(0, Expect.union(seen, 1) & Ops.WRITE_CLOSED, "the write half is open: " + seen);
    assertEquals(-1, pair[1].read(ByteBuffer.allocate(4)));
    writeFully(pair[1], new byte[] {9}); // the other direction still works
    assertArrayEquals(new byte[] {9}, readExactly(pair[0], 1));
  }

  // 21 (unix_stream_shutdown_read): the local shutdownInput gives read-closed where reported,
  // and reads return end of stream.
  @Test
  @Timeout(10)
  default void unixLocalShutdownInputGivesReadClosedWhereReported() throws Exception {
    UnixStream[] pair = unixStreamPair();
    registry().register(pair[1], 1, Interest.READABLE);
    expectNoEvents();
    pair[1].shutdownInput();
    if (caps().reportsLocalReadShutdown()) {
      List<Expect.Seen> seen = expectEvents(event(1, Ops.READ_CLOSED));
      assertWithinInterest(seen, 1, Interest.READABLE);
    }
    assertEquals(-1, pair[1].read(ByteBuffer.allocate(4)));
  }

  // 21 (unix_stream_shutdown_both): shutting down both halves gives write-closed (and
  // read-closed) on the stream's own registration; writes fail with EPIPE.
  @Test
  @Timeout(10)
  default void unixLocalShutdownOfBothHalvesGivesReadAndWriteClosed() throws Exception {
    UnixStream[] pair = unixStreamPair();
    registry().register(pair[1], 1, BOTH);
    expectEvents(writable(1));
    pair[1].shutdownInput();
    pair[1].shutdownOutput();
    if (caps().reportsLocalReadShutdown()) {
      expectEvents(event(1, Ops.READ_CLOSED | Ops.WRITE_CLOSED));
    }
    IOException e =
        assertThrows(IOException.class, () -> pair[1].write(ByteBuffer.wrap(new byte[] {1})));
    SocketFixture.assertWriteAfterShutdown(e);
  }

  // 19, 24 (close_on_drop): closing one end of a pair gives the other read-closed, with the
  // data written before the close still readable; writes then fail with EPIPE.
  @Test
  @Timeout(10)
  default void unixPeerCloseGivesReadClosedAndLeavesTheDataReadable() throws Exception {
    UnixStream[] pair = unixStreamPair();
    registry().register(pair[1], 1, Interest.READABLE);
    writeFully(pair[0], new byte[] {4, 2});
    pair[0].close();
    List<Expect.Seen> seen = expectEvents(event(1, Ops.READABLE | Ops.READ_CLOSED));
    assertWithinInterest(seen, 1, Interest.READABLE);
    assertArrayEquals(new byte[] {4, 2}, readExactly(pair[1], 2));
    assertEquals(-1, pair[1].read(ByteBuffer.allocate(4)));
    IOException e =
        assertThrows(IOException.class, () -> pair[1].write(ByteBuffer.wrap(new byte[] {1})));
    SocketFixture.assertPeerGoneWrite(e, false);
  }

  // 14: a full Unix stream becomes writable again after the peer drains.
  @Test
  @Timeout(10)
  default void fullUnixStreamBecomesWritableAfterThePeerDrains() throws Exception {
    UnixStream[] pair = unixStreamPair();
    registry().register(pair[0], 1, Interest.WRITABLE);
    expectEvents(writable(1));
    long written = fillStream(pair[0]);
    assertTrue(written > 0);
    expectNoEvents(); // a Unix stream moves data synchronously: full means full
    long read = 0;
    ByteBuffer b = ByteBuffer.allocateDirect(64 * 1024);
    while (read < written) {
      int n = pair[1].read(b.clear());
      assertTrue(n > 0, "buffered data is readable at once (" + read + " of " + written + ")");
      read += n;
    }
    expectEvents(writable(1));
    assertTrue(pair[0].write(ByteBuffer.allocate(100)) > 0);
  }

  // 5 (unix_stream_deregister, unix_listener_deregister, unix_datagram_deregister): after
  // deregister, no event for new connections, data, datagrams or a peer's close; I/O works.
  @Test
  @Timeout(10)
  default void deregisteredUnixSocketsGiveNoEventsAndStillWork() throws Exception {
    UnixDomainSocketAddress path = socketPath("dereg");
    UnixListener listener = closeAfter(UnixListener.bind(path));
    UnixStream[] pair = unixStreamPair();
    // Datagrams where they exist (not on Windows).
    UnixDatagram[] dgrams = caps().unixDatagrams() ? unixDatagramPair() : null;
    registry().register(listener, 1, Interest.READABLE);
    registry().register(pair[1], 2, BOTH);
    if (dgrams != null) {
      registry().register(dgrams[1], 3, Interest.READABLE);
    }
    expectEvents(writable(2));
    registry().deregister(listener);
    registry().deregister(pair[1]);
    if (dgrams != null) {
      registry().deregister(dgrams[1]);
    }
    closeAfter(UnixStream.connect(path));
    writeFully(pair[0], new byte[] {1});
    pair[0].close();
    if (dgrams != null) {
      assertEquals(2, dgrams[0].send(ByteBuffer.wrap(new byte[] {5, 6})));
    }
    expectNoEvents();
    assertNotNull(acceptOne(listener));
    assertArrayEquals(new byte[] {1}, readExactly(pair[1], 1));
    assertEquals(-1, pair[1].read(ByteBuffer.allocate(4)));
    if (dgrams != null) {
      assertEquals(2, dgrams[1].recv(ByteBuffer.allocate(8)));
    }
  }

  // 9: closing a registered Unix listener (with a pending connection, level mode) or datagram
  // socket (with a queued datagram) gives no event for its token.
  @Test
  @Timeout(10)
  default void closingRegisteredUnixSocketsGivesNoEvent() throws Exception {
    UnixDomainSocketAddress path = socketPath("closing");
    UnixListener listener = closeAfter(UnixListener.bind(path));
    registry().register(listener, 1, Interest.READABLE, Mode.LEVEL);
    closeAfter(UnixStream.connect(path));
    expectEvents(readable(1));
    listener.close();
    expectNoEvents();
    assertTrue(Files.exists(path.getPath()), "closing leaves the socket file");
    if (!caps().unixDatagrams()) {
      return; // no datagram sockets on Windows
    }
    UnixDatagram[] dgrams = unixDatagramPair();
    registry().register(dgrams[1], 2, Interest.READABLE, Mode.LEVEL);
    assertEquals(1, dgrams[0].send(ByteBuffer.wrap(new byte[] {1})));
    expectEvents(readable(2));
    dgrams[1].close();
    expectNoEvents();
  }

  // 1, 14 in Linux's abstract namespace (unix_listener, unix_stream, unix_datagram): names
  // without files, events as on paths, and the name is free again after close.
  @Test
  @Timeout(10)
  default void abstractNamespaceStreamsAndDatagramsWork() throws Exception {
    assumeAbstractNamespace();
    UnixAbstractAddress name = SocketFixture.uniqueAbstractName();
    UnixListener listener = closeAfter(UnixListener.bind(name));
    assertEquals(name, listener.localAddress());
    registry().register(listener, 1, Interest.READABLE);
    UnixStream client = closeAfter(UnixStream.connect(name));
    assertEquals(name, client.peerAddress());
    expectEvents(readable(1));
    UnixStream server = acceptOne(listener);
    assertEquals(name, server.localAddress());
    registry().register(client, 2, Interest.READABLE);
    writeFully(server, new byte[] {1, 2, 3});
    expectEvents(readable(2));
    assertArrayEquals(new byte[] {1, 2, 3}, readAvailable(client));
    listener.close();
    closeAfter(UnixListener.bind(name)).close(); // free again

    UnixAbstractAddress dname = SocketFixture.uniqueAbstractName();
    UnixDatagram receiver = closeAfter(UnixDatagram.bind(dname));
    UnixDatagram sender = closeAfter(UnixDatagram.bind(UNNAMED)); // autobind: can be answered
    SocketAddress senderName = sender.localAddress();
    assertInstanceOf(UnixAbstractAddress.class, senderName, "autobind gives an abstract name");
    registry().register(receiver, 3, Interest.READABLE);
    registry().register(sender, 4, Interest.READABLE);
    assertEquals(1, sender.sendTo(ByteBuffer.wrap(new byte[] {7}), dname));
    expectEvents(readable(3));
    ByteBuffer buf = ByteBuffer.allocate(8);
    assertEquals(senderName, receiver.recvFrom(buf));
    assertEquals(1, receiver.sendTo(ByteBuffer.wrap(new byte[] {8}), senderName));
    expectEvents(readable(4));
    assertEquals(dname, sender.recvFrom(buf.clear()));
  }

  // 14 (unix_datagram smoke, regressions.rs #1403): datagrams on paths name their sender: the path
  // of a bound sender, the unnamed address of an unbound one; connected send and recv.
  @Test
  @Timeout(10)
  default void unixDatagramsOnPathsNameTheirSender() throws Exception {
    assumeUnixDatagrams();
    UnixDomainSocketAddress pa = socketPath("a");
    UnixDomainSocketAddress pb = socketPath("b");
    UnixDatagram a = closeAfter(UnixDatagram.bind(pa));
    UnixDatagram b = closeAfter(UnixDatagram.bind(pb));
    registry().register(a, 1, BOTH);
    registry().register(b, 2, BOTH);
    expectEvents(writable(1), writable(2));
    ByteBuffer buf = ByteBuffer.allocate(16);
    assertNull(b.recvFrom(buf), "would block");
    assertNull(b.peekFrom(buf), "would block");
    assertEquals(2, a.sendTo(ByteBuffer.wrap(new byte[] {1, 2}), pb));
    expectEvents(readable(2));
    assertEquals(pa, b.peekFrom(buf));
    assertEquals(pa, b.recvFrom(buf.clear()), "#1403: the sender's path");
    assertEquals(2, buf.position());
    assertNull(b.recvFrom(buf.clear()));
    UnixDatagram anonymous = closeAfter(UnixDatagram.unbound());
    assertEquals(1, anonymous.sendTo(ByteBuffer.wrap(new byte[] {3}), pb));
    expectEvents(readable(2));
    assertEquals(UNNAMED, b.recvFrom(buf.clear()), "#1403: an unbound sender is unnamed");
    assertNull(b.recvFrom(buf.clear()));
    a.connect(pb);
    assertEquals(pb, a.peerAddress());
    assertEquals(1, a.send(ByteBuffer.wrap(new byte[] {9})));
    expectEvents(readable(2));
    assertEquals(1, b.recv(buf.clear()));
    assertEquals(9, buf.get(0));
    assertNull(a.takeError());
  }

  // unix_datagram_pair, 14: empty datagrams are readable and told from would-block by
  // recvFrom; draining to would-block makes the next datagram give a new event.
  @Test
  @Timeout(10)
  default void unixDatagramPairReportsEachDatagramAfterADrain() throws Exception {
    assumeUnixDatagrams();
    UnixDatagram[] pair = unixDatagramPair();
    registry().register(pair[1], 1, Interest.READABLE);
    expectNoEvents();
    ByteBuffer buf = ByteBuffer.allocate(8);
    assertEquals(0, pair[0].send(ByteBuffer.allocate(0)));
    expectEvents(readable(1));
    assertEquals(UNNAMED, pair[1].recvFrom(buf), "an empty datagram, from an unnamed peer");
    assertEquals(0, buf.position());
    assertNull(pair[1].recvFrom(buf), "then would block");
    for (int round = 0; round < 3; round++) {
      assertEquals(3, pair[0].send(ByteBuffer.wrap(new byte[] {1, 2, 3})));
      List<Expect.Seen> seen = expectEvents(readable(1));
      assertEquals(1, count(seen, 1), "round " + round + ": " + seen);
      assertEquals(3, pair[1].peek(buf.clear()));
      assertEquals(3, pair[1].recv(buf.clear()));
      assertNull(pair[1].recvFrom(buf.clear()), "round " + round + ": would block");
    }
    expectNoEvents();
  }

  // 14: a full datagram queue makes sends would block; they become writable again once the
  // receiver drains.
  @Test
  @Timeout(10)
  default void fullUnixDatagramQueueBecomesWritableAfterTheReceiverDrains() throws Exception {
    assumeUnixDatagrams();
    UnixDatagram[] pair = unixDatagramPair();
    registry().register(pair[0], 1, Interest.WRITABLE);
    expectEvents(writable(1));
    ByteBuffer src = ByteBuffer.allocateDirect(1000);
    int sent = 0;
    while (pair[0].send(src.clear()) > 0) {
      sent++;
      assertTrue(sent < 1_000_000, "the receive queue never filled");
    }
    assertTrue(sent > 0);
    assertEquals(0, src.position(), "a datagram that would block is not consumed");
    expectNoEvents();
    ByteBuffer dst = ByteBuffer.allocate(1000);
    for (int i = 0; i < sent; i++) {
      assertEquals(1000, pair[1].recv(dst.clear()), "datagram " + i);
    }
    expectEvents(writable(1));
    assertEquals(1000, pair[0].send(src.clear()));
  }

  // 3 (unix_*_reregister): reregister replaces token and interest of streams and datagrams.
  @Test
  @Timeout(10)
  default void reregisterReplacesTheTokenAndInterestOfUnixSockets() throws Exception {
    UnixStream[] pair = unixStreamPair();
    writeFully(pair[0], new byte[] {1});
    registry().register(pair[1], 1, Interest.READABLE);
    if (!caps().unixDatagrams()) { // Windows: the stream alone
      expectEvents(readable(1));
      registry().reregister(pair[1], 3, Interest.WRITABLE);
      List<Expect.Seen> seen = expectEvents(writable(3));
      assertEquals(0, count(seen, 1), "old token: " + seen);
      assertWithinInterest(seen, 3, Interest.WRITABLE);
      return;
    }
    UnixDatagram[] dgrams = unixDatagramPair();
    assertEquals(1, dgrams[0].send(ByteBuffer.wrap(new byte[] {1})));
    registry().register(dgrams[1], 2, Interest.READABLE);
    expectEvents(readable(1), readable(2));
    registry().reregister(pair[1], 3, Interest.WRITABLE);
    registry().reregister(dgrams[1], 4, Interest.WRITABLE);
    List<Expect.Seen> seen = expectEvents(writable(3), writable(4));
    assertEquals(0, count(seen, 1) + count(seen, 2), "old tokens: " + seen);
    assertWithinInterest(seen, 3, Interest.WRITABLE);
    assertWithinInterest(seen, 4, Interest.WRITABLE);
  }
}
