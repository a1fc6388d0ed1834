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

import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Mode;
import dev.poll4j.Poll;
import dev.poll4j.Waker;
import dev.poll4j.net.TcpListener;
import dev.poll4j.net.TcpStream;
import dev.poll4j.spi.Ops;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TCP listeners and streams over loopback: mio's tcp.rs, tcp_stream.rs, tcp_listener.rs and
 * regressions.rs (#776, #1205); peers.md 1-3, 5, 9, 14, 15, 19-23, 25, 26.
 */
interface TcpConformance extends SocketFixture {
  Interest BOTH = Interest.READABLE.add(Interest.WRITABLE);

  // 1: a listener without connections and a connected stream without data give nothing.
  @Test
  @Timeout(10)
  default void idleTcpListenerAndStreamGiveNoEvent() throws Exception {
    TcpListener listener = tcpListener();
    TcpStream[] pair = tcpPair();
    registry().register(listener, 1, Interest.READABLE);
    registry().register(pair[0], 2, Interest.READABLE);
    registry().register(pair[1], 3, Interest.READABLE);
    expectNoEvents();
  }

  // 14 (accept until null), tcp_listener.rs: one event for pending connections; accepting until
  // null re-arms, and the next connection gives a new event.
  @Test
  @Timeout(10)
  default void listenerAcceptsUntilNullThenTheNextConnectionGivesANewEvent() throws Exception {
    TcpListener listener = tcpListener();
    assertNull(listener.accept(), "nothing pending yet");
    registry().register(listener, 1, Interest.READABLE);
    expectNoEvents();
    TcpStream[] clients = {tcpConnect(listener), tcpConnect(listener), tcpConnect(listener)};
    int accepted = 0;
    while (accepted < clients.length) {
      List<Expect.Seen> seen = expectEvents(readable(1));
      assertWithinInterest(seen, 1, Interest.READABLE);
      TcpStream s;
      while ((s = listener.accept()) != null) {
        closeAfter(s);
        accepted++;
        assertEquals(listener.localAddress(), s.localAddress());
      }
    }
    assertEquals(clients.length, accepted, "three connects, three accepts");
    expectNoEvents();
    tcpConnect(listener);
    List<Expect.Seen> seen = expectEvents(readable(1));
    assertEquals(1, count(seen, 1), "one new connection, one event: " + seen);
    assertNotNull(acceptOne(listener));
    assertNull(listener.accept());
  }

  // tcp.rs connect, regressions.rs #776: a read during or right after the connect would block
  // (it is not an error); the end of the connect is a writable event, with nothing closed (20);
  // finishConnect then returns true and the addresses match.
  @Test
  @Timeout(10)
  default void connectGivesAWritableEventAndFinishConnectCompletesIt() throws Exception {
    TcpListener listener = tcpListener();
    TcpStream client = tcpConnect(listener);
    ByteBuffer buf = ByteBuffer.allocate(16);
    assertEquals(0, client.read(buf), "#776: a read before any data would block");
    assertEquals(0, client.peek(buf), "#776: a peek before any data would block");
    registry().register(client, 1, BOTH);
    List<Expect.Seen> seen = expectEvents(writable(1));
    assertWithinInterest(seen, 1, BOTH);
    assertNothingClosed(seen, 1, "after a successful connect");
    assertTrue(client.finishConnect());
    assertTrue(client.finishConnect(), "finishConnect is idempotent");
    assertNull(client.takeError());
    assertEquals(listener.localAddress(), client.peerAddress());
    TcpStream server = acceptOne(listener);
    assertTrue(server.finishConnect(), "an accepted stream is connected");
    assertEquals(client.localAddress(), server.peerAddress());
    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
    writeFully(server, hello);
    seen = expectEvents(readable(1));
    assertNothingClosed(seen, 1, "with data");
    assertArrayEquals(hello, readAvailable(client));
  }

  // 23 (its success side; tcp_socket.rs): open, bind and beginConnect, then the writable event
  // and finishConnect.
  @Test
  @Timeout(10)
  default void openBindAndBeginConnectGiveAWritableEventOnceConnected() throws Exception {
    TcpListener listener = tcpListener();
    TcpStream client = closeAfter(TcpStream.open(StandardProtocolFamily.INET));
    assertNull(client.peerAddress(), "not connected yet");
    client.bindTo(LOCALHOST_V4);
    int port = client.localAddress().getPort();
    assertTrue(port > 0, "bound to an ephemeral port");
    boolean connectedAtOnce = client.beginConnect(listener.localAddress());
    registry().register(client, 1, Interest.WRITABLE);
    expectEvents(writable(1));
    assertTrue(
        client.finishConnect(), "writable after beginConnect (at once: " + connectedAtOnce + ")");
    assertEquals(port, acceptOne(listener).peerAddress().getPort());
  }

  // tcp.rs (16 MiB read/write), 14, 26: 16 MiB each way with many partial writes, driven by edge
  // events alone; at most 5% of the writable events find no room (libuv's poll_duplex bound).
  @Test
  @Timeout(60)
  default void transfers16MiBBothWaysDrivenOnlyByEdgeEvents() throws Exception {
    TcpStream[] pair = tcpPair();
    for (TcpStream s : pair) {
      s.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024); // many partial writes
      s.setOption(StandardSocketOptions.TCP_NODELAY, true);
    }
    TransferStats stats = transferBothWays(pair[0], pair[1], 16L << 20, Duration.ofSeconds(40));
    assertTrue(stats.partialWrites > 0, "the send buffer never filled: " + stats);
    assertTrue(stats.wouldBlockWrites > 0, "no write ever would block: " + stats);
    assertTrue(
        stats.spuriousWritable * 20 <= stats.writableEvents,
        "26: more than 5% of the writable events were spurious: " + stats);
    ByteBuffer b = ByteBuffer.allocate(8);
    assertEquals(0, pair[0].read(b), "nothing beyond the 16 MiB");
    assertEquals(0, pair[1].read(b), "nothing beyond the 16 MiB");
  }

  // 15 (peek_ok): a successful peek leaves the bytes for the next read and is no would-block: it
  // neither consumes the readiness nor asks for a new event.
  @Test
  @Timeout(10)
  default void successfulPeekLeavesTheBytesAndGivesNoNewEvent() throws Exception {
    TcpStream[] pair = tcpPair();
    registry().register(pair[1], 1, Interest.READABLE);
    writeFully(pair[0], new byte[] {7, 8, 9});
    expectEvents(readable(1));
    ByteBuffer peeked = ByteBuffer.allocate(16);
    assertEquals(3, pair[1].peek(peeked));
    assertEquals(3, pair[1].peek(ByteBuffer.allocate(16)), "peeking again sees the same bytes");
    expectNoEvents();
    assertArrayEquals(new byte[] {7, 8, 9}, readAvailable(pair[1]), "the peek consumed nothing");
    assertArrayEquals(new byte[] {7, 8, 9}, Arrays.copyOf(peeked.array(), 3));
    expectNoEvents();
    writeFully(pair[0], new byte[] {10});
    expectEvents(readable(1));
  }

  // 15 (peek_would_block, read_peek_would_block, mio PR #1895): a peek that would block re-arms
  // like a read: after a read that took exactly what was there (no would-block), a would-block
  // peek is what makes the next data give an event where edge mode is emulated.
  @Test
  @Timeout(10)
  default void wouldBlockPeekRearmsLikeARead() throws Exception {
    TcpStream[] pair = tcpPair();
    registry().register(pair[1], 1, Interest.READABLE);
    assertEquals(0, pair[1].peek(ByteBuffer.allocate(8)), "nothing to peek: would block");
    for (int round = 0; round < 3; round++) {
      writeFully(pair[0], new byte[] {1, 2, 3, 4});
      List<Expect.Seen> seen = expectEvents(readable(1));
      assertEquals(1, count(seen, 1), "round " + round + ": " + seen);
      // Exactly the four bytes: a full read, not a would-block.
      assertEquals(4, pair[1].read(ByteBuffer.allocate(4)), "round " + round);
      assertEquals(0, pair[1].peek(ByteBuffer.allocate(8)), "round " + round + ": would block");
    }
  }

  // 19, 20 (write_shutdown, tcp_shutdown_server_write_close_event): the peer's shutdownOutput
  // gives read-closed after its data; before the FIN no event claims anything closed, and the
  // write half, still open, is never reported closed.
  @Test
  @Timeout(10)
  default void peerShutdownOutputGivesReadClosedAndNothingClosedBefore() throws Exception {
    TcpStream[] pair = tcpPair();
    TcpStream client = pair[0];
    TcpStream server = pair[1];
    registry().register(server, 1, BOTH);
    List<Expect.Seen> seen = expectEvents(writable(1));
    assertNothingClosed(seen, 1, "on a fresh connection");
    writeFully(client, new byte[] {1, 2, 3});
    seen = expectEvents(readable(1));
    assertNothingClosed(seen, 1, "with data and before the FIN");
    assertArrayEquals(new byte[] {1, 2, 3}, readAvailable(server));
    expectNoEvents();
    client.shutdownOutput();
    seen = expectEvents(event(1, Ops.READABLE | Ops.READ_CLOSED));
    assertWithinInterest(seen, 1, BOTH);
    assertEquals(0, Expect.union(seen, 1) & Ops.WRITE_CLOSED, "the write half is open: " + seen);
    ByteBuffer buf = ByteBuffer.allocate(8);
    assertEquals(-1, server.read(buf));
    assertEquals(-1, server.peek(buf));
    writeFully(server, new byte[] {9}); // the other direction still works
    assertArrayEquals(new byte[] {9}, readExactly(client, 1));
  }

  // 21: the local shutdownInput makes reads return end of stream and, where the OS reports it,
  // gives the stream's own registration read-closed (not write-closed: that half is open).
  @Test
  @Timeout(10)
  default void localShutdownInputEndsReadsAndGivesReadClosedWhereReported() throws Exception {
    TcpStream[] pair = tcpPair();
    TcpStream server = pair[1];
    registry().register(server, 1, Interest.READABLE);
    expectNoEvents();
    server.shutdownInput();
    if (caps().reportsLocalReadShutdown()) {
      List<Expect.Seen> seen = expectEvents(event(1, Ops.READ_CLOSED));
      assertWithinInterest(seen, 1, Interest.READABLE);
      assertEquals(0, Expect.union(seen, 1) & Ops.WRITE_CLOSED, "write half open: " + seen);
    }
    assertEquals(-1, server.read(ByteBuffer.allocate(4)));
    server.shutdownInput(); // again: harmless
    writeFully(server, new byte[] {5}); // the write half still works
    assertArrayEquals(new byte[] {5}, readExactly(pair[0], 1));
  }

  // 21 (shutdown_write): the local shutdownOutput makes writes fail with EPIPE (WSAESHUTDOWN on
  // Windows), gives
  // write-closed only where the OS reports it (kqueue), never read-closed (the read half stays
  // open and still reads), and the peer sees read-closed (19).
  @Test
  @Timeout(10)
  default void localShutdownOutputFailsWritesAndNeverClaimsTheReadHalfClosed() throws Exception {
    TcpStream[] pair = tcpPair();
    TcpStream client = pair[0];
    TcpStream server = pair[1];
    registry().register(server, 1, BOTH);
    registry().register(client, 2, Interest.READABLE);
    expectEvents(writable(1));
    server.shutdownOutput();
    IOException e =
        assertThrows(IOException.class, () -> server.write(ByteBuffer.wrap(new byte[] {1})));
    SocketFixture.assertWriteAfterShutdown(e);
    List<Expect.Seen> seen = expectEvents(event(2, Ops.READ_CLOSED));
    if (caps().reportsLocalWriteShutdown()) {
      seen.addAll(expectEvents(event(1, Ops.WRITE_CLOSED)));
    }
    seen.addAll(Expect.pollOnce(poll(), events(), Expect.QUIET));
    assertEquals(0, Expect.union(seen, 1) & Ops.READ_CLOSED, "the read half is open: " + seen);
    assertEquals(-1, client.read(ByteBuffer.allocate(4)));
    writeFully(client, new byte[] {7});
    seen = expectEvents(readable(1));
    assertEquals(0, Expect.union(seen, 1) & Ops.READ_CLOSED, "the read half is open: " + seen);
    assertArrayEquals(new byte[] {7}, readAvailable(server));
  }

  // 21 (shutdown_both): shutting down both halves hangs the stream up: read-closed and
  // write-closed on its own registration, where the OS reports local shutdowns.
  @Test
  @Timeout(10)
  default void localShutdownOfBothHalvesGivesReadAndWriteClosed() throws Exception {
    TcpStream[] pair = tcpPair();
    TcpStream server = pair[1];
    registry().register(server, 1, BOTH);
    expectEvents(writable(1));
    server.shutdownInput();
    server.shutdownOutput();
    if (caps().reportsLocalReadShutdown()) {
      expectEvents(event(1, Ops.READ_CLOSED | Ops.WRITE_CLOSED));
    }
    assertEquals(-1, server.read(ByteBuffer.allocate(4)));
    assertThrows(IOException.class, () -> server.write(ByteBuffer.wrap(new byte[] {1})));
  }

  // 22 (hup_event_on_disconnect, connection_reset_by_peer): a peer that closes with SO_LINGER 0
  // resets the connection: a readable event, then a read returns -1 or throws "Connection reset".
  @Test
  @Timeout(10)
  default void peerResetGivesReadableThenResetOrEndOfStream() throws Exception {
    TcpStream[] pair = tcpPair();
    TcpStream server = pair[1];
    registry().register(server, 1, Interest.READABLE);
    expectNoEvents();
    pair[0].setOption(StandardSocketOptions.SO_LINGER, 0);
    assertEquals(0, pair[0].getOption(StandardSocketOptions.SO_LINGER));
    pair[0].close();
    List<Expect.Seen> seen = expectEvents(readable(1));
    assertWithinInterest(seen, 1, Interest.READABLE);
    try {
      assertEquals(-1, server.read(ByteBuffer.allocate(16)), "a reset reads as end of stream");
    } catch (SocketException reset) {
      assertEquals("Connection reset", reset.getMessage());
    }
  }

  // 19, 24 (tcp.rs connect_then_close, close_on_drop.rs, write error): the peer's close gives
  // read-closed after its data, reads then return -1, and writes fail before long (the peer
  // answers the first with a reset) with "Connection reset" or EPIPE, never SIGPIPE.
  @Test
  @Timeout(10)
  default void peerCloseGivesReadClosedThenWritesFail() throws Exception {
    TcpStream[] pair = tcpPair();
    TcpStream client = pair[0];
    registry().register(client, 1, Interest.READABLE);
    writeFully(pair[1], new byte[] {3, 1});
    pair[1].close();
    List<Expect.Seen> seen = expectEvents(event(1, Ops.READABLE | Ops.READ_CLOSED));
    assertWithinInterest(seen, 1, Interest.READABLE);
    assertArrayEquals(new byte[] {3, 1}, readExactly(client, 2));
    assertEquals(-1, client.read(ByteBuffer.allocate(4)));
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
              while (System.nanoTime() < deadline) {
                client.write(ByteBuffer.allocate(1024));
                Fixture.sleep(1);
              }
            });
    SocketFixture.assertPeerGoneWrite(e, true);
  }

  // 23 (connect_error): a refused non-blocking connect gives writable or error, with
  // write-closed; takeError returns the ConnectException once.
  @Test
  @Timeout(10)
  default void refusedConnectGivesWritableOrErrorWithWriteClosedAndTakeError() throws Exception {
    TcpStream client = connectRefusedOrSkip();
    registry().register(client, 1, Interest.WRITABLE);
    List<Expect.Seen> seen = Expect.events(poll(), events(), Expect.REFUSAL_DEADLINE, event(1, 0));
    int bits = Expect.union(seen, 1);
    assertTrue((bits & (Ops.WRITABLE | Ops.ERROR)) != 0, "writable or error: " + seen);
    assertTrue((bits & Ops.WRITE_CLOSED) != 0, "write-closed: " + seen);
    assertWithinInterest(seen, 1, Interest.WRITABLE);
    IOException error = client.takeError();
    assertInstanceOf(ConnectException.class, error);
    assertEquals("Connection refused", error.getMessage());
    assertNull(client.takeError(), "taken");
  }

  // 23: the same refusal through finishConnect, which throws ConnectException.
  @Test
  @Timeout(10)
  default void refusedConnectMakesFinishConnectThrowConnectException() throws Exception {
    TcpStream client = connectRefusedOrSkip();
    registry().register(client, 1, BOTH);
    List<Expect.Seen> seen = Expect.events(poll(), events(), Expect.REFUSAL_DEADLINE, event(1, 0));
    assertWithinInterest(seen, 1, BOTH);
    ConnectException e = assertThrows(ConnectException.class, client::finishConnect);
    assertEquals("Connection refused", e.getMessage());
  }

  private TcpStream connectRefusedOrSkip() throws IOException {
    try {
      return closeAfter(TcpStream.connect(refusingAddress()));
    } catch (ConnectException refusedAtOnce) {
      // Allowed (a kernel may refuse a loopback connect synchronously), but then the event path
      // is not tested: report a skip, not a pass.
      Assumptions.abort("connect was refused synchronously: " + refusedAtOnce);
      throw refusedAtOnce;
    }
  }

  // 14: writes that would block (full send buffer, peer not reading) become writable again
  // once the peer drains.
  @Test
  @Timeout(20)
  default void wouldBlockWriteBecomesWritableAfterThePeerDrains() throws Exception {
    TcpStream[] pair = tcpPair();
    TcpStream client = pair[0];
    TcpStream server = pair[1];
    client.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
    server.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
    registry().register(client, 1, Interest.WRITABLE);
    expectEvents(writable(1));
    long written = fillUntilQuiet(client, 1);
    ByteBuffer b = ByteBuffer.allocateDirect(64 * 1024);
    long read = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (read < written) {
      assertTrue(System.nanoTime() < deadline, "read " + read + " of " + written + " bytes");
      int n = server.read(b.clear());
      assertTrue(n >= 0, "end of stream");
      read += n;
    }
    List<Expect.Seen> seen = expectEvents(writable(1));
    assertWithinInterest(seen, 1, Interest.WRITABLE);
    assertTrue(client.write(ByteBuffer.allocate(1000)) > 0, "writable means room");
  }

  /**
   * Writes until would-block, then polls: room that the kernel frees while the data drains into
   * the peer's (unread) receive buffer may give writable events, which are answered by filling
   * again, until a poll stays quiet. Then the path is full for good: only the peer can make room.
   *
   * @return the bytes written
   */
  private long fillUntilQuiet(TcpStream s, long token) throws IOException {
    long written = fillStream(s);
    assertTrue(written > 0, "a connected stream takes data");
    for (int round = 0; ; round++) {
      List<Expect.Seen> seen = Expect.pollOnce(poll(), events(), Duration.ofMillis(150));
      if (seen.isEmpty()) {
        return written;
      }
      assertTrue(round < 20, "writable events never stopped while the peer does not read");
      assertWithinInterest(seen, token, Interest.WRITABLE);
      written += fillStream(s);
    }
  }

  // 5 (tcp_no_events_after_deregister): after deregister, neither a new connection on the
  // listener nor data and a FIN on the stream gives an event; I/O still works.
  @Test
  @Timeout(10)
  default void deregisteredTcpSocketsGiveNoEventsAndStillWork() throws Exception {
    TcpListener listener = tcpListener();
    TcpStream[] pair = tcpPair(listener);
    registry().register(listener, 1, Interest.READABLE);
    registry().register(pair[1], 2, BOTH);
    expectEvents(writable(2));
    registry().deregister(listener);
    registry().deregister(pair[1]);
    tcpConnect(listener);
    writeFully(pair[0], new byte[] {1, 2});
    pair[0].shutdownOutput();
    expectNoEvents();
    assertNotNull(acceptOne(listener), "the listener still accepts");
    assertArrayEquals(new byte[] {1, 2}, readExactly(pair[1], 2));
    assertEquals(-1, pair[1].read(ByteBuffer.allocate(4)));
    expectNoEvents();
  }

  // 5, 32 (regressions.rs #1205): with a stream deregistered, the Waker still works and the
  // stream's token never comes back.
  @Test
  @Timeout(10)
  default void wakerWorksAndTheTokenStaysGoneAfterAStreamIsDeregistered() throws Exception {
    Waker waker = closeAfter(Waker.create(registry(), 99));
    TcpStream[] pair = tcpPair();
    registry().register(pair[1], 1, Interest.READABLE);
    writeFully(pair[0], new byte[] {1});
    waker.wake();
    expectEvents(readable(1), readable(99));
    registry().deregister(pair[1]);
    writeFully(pair[0], new byte[] {2});
    waker.wake();
    List<Expect.Seen> seen = expectEvents(readable(99));
    assertEquals(0, count(seen, 1), "the deregistered stream's token: " + seen);
    expectNoEvents();
  }

  // 4: closing a Poll ends the registrations of its sockets; the sockets stay open and register
  // with another Poll, which reports them.
  @Test
  @Timeout(10)
  default void socketsOfAClosedPollRegisterWithAnother() throws Exception {
    TcpListener listener = tcpListener();
    TcpStream[] pair = tcpPair(listener);
    registry().register(listener, 1, Interest.READABLE);
    registry().register(pair[1], 2, Interest.READABLE);
    poll().close();
    assertTrue(pair[1].isOpen() && listener.isOpen(), "closing a Poll closes no source");
    Poll other = openPoll();
    other.registry().register(listener, 3, Interest.READABLE);
    other.registry().register(pair[1], 4, Interest.READABLE);
    tcpConnect(listener);
    writeFully(pair[0], new byte[] {1});
    List<Expect.Seen> seen =
        Expect.events(other, Events.withCapacity(8), readable(3), readable(4));
    assertEquals(0, count(seen, 1) + count(seen, 2), "tokens of the closed Poll: " + seen);
  }

  // 9 (listen_then_close), and the same for a stream: closing a registered socket, even with a
  // level registration that would fire forever, gives no event for its token.
  @Test
  @Timeout(10)
  default void closingRegisteredTcpSocketsGivesNoEvent() throws Exception {
    TcpListener listener = tcpListener();
    registry().register(listener, 1, Interest.READABLE, Mode.LEVEL);
    tcpConnect(listener); // pending: a level registration fires on every poll
    expectEvents(readable(1));
    listener.close();
    expectNoEvents();
    TcpStream[] pair = tcpPair();
    registry().register(pair[1], 2, Interest.READABLE, Mode.LEVEL);
    writeFully(pair[0], new byte[] {1});
    expectEvents(readable(2));
    pair[1].close();
    expectNoEvents();
    pair[0].close();
    expectNoEvents();
  }

  // 25 (priority_event_on_oob_data, libuv test-poll-oob): data followed by an urgent byte gives
  // READABLE and PRIORITY (one event or two); the urgent byte comes through readUrgentData, the
  // data through read, and then nothing repeats.
  @Test
  @Timeout(10)
  default void urgentDataAfterPlainDataGivesReadableAndPriority() throws Exception {
    assumeTrue(
        caps().reportsPriority(),
        "priority events are not claimed for the " + caps().backend() + " backend (Capabilities)");
    TcpStream[] pair = tcpPair();
    Interest interest = Interest.READABLE.add(Interest.PRIORITY);
    registry().register(pair[1], 1, interest);
    expectNoEvents();
    writeFully(pair[0], "ab".getBytes(StandardCharsets.US_ASCII));
    assertTrue(pair[0].sendUrgentData('c'), "urgent data sent");
    List<Expect.Seen> seen = expectEvents(event(1, Ops.PRIORITY), readable(1));
    assertWithinInterest(seen, 1, interest);
    assertEquals('c', pair[1].readUrgentData());
    assertEquals(-1, pair[1].readUrgentData(), "taken");
    assertArrayEquals("ab".getBytes(StandardCharsets.US_ASCII), readAvailable(pair[1]));
    expectNoEvents();
  }

  // 25: a lone urgent byte gives PRIORITY (with or without READABLE); PRIORITY interest alone
  // never reports plain data (2) and reports no READABLE bit (26).
  @Test
  @Timeout(10)
  default void urgentByteGivesPriorityAndPlainDataNeverDoes() throws Exception {
    TcpStream[] pair = tcpPair();
    registry().register(pair[1], 1, Interest.PRIORITY);
    writeFully(pair[0], "plain".getBytes(StandardCharsets.US_ASCII));
    expectNoEvents();
    assumeTrue(
        caps().reportsPriority(),
        "priority events are not claimed for the " + caps().backend() + " backend (Capabilities)");
    assertTrue(pair[0].sendUrgentData('!'));
    List<Expect.Seen> seen = expectEvents(event(1, Ops.PRIORITY));
    assertWithinInterest(seen, 1, Interest.PRIORITY);
    assertEquals('!', pair[1].readUrgentData());
    assertArrayEquals("plain".getBytes(StandardCharsets.US_ASCII), readAvailable(pair[1]));
    expectNoEvents();
  }

  // 3 (reregistering): reregister replaces token and interest: pending data no longer reports
  // readable, and events carry the new token.
  @Test
  @Timeout(10)
  default void reregisterReplacesTheTokenAndInterestOfAStream() throws Exception {
    TcpStream[] pair = tcpPair();
    writeFully(pair[0], new byte[] {1});
    registry().register(pair[1], 1, Interest.READABLE);
    expectEvents(readable(1));
    registry().reregister(pair[1], 2, Interest.WRITABLE);
    List<Expect.Seen> seen = expectEvents(writable(2));
    assertEquals(0, count(seen, 1), "the old token: " + seen);
    assertWithinInterest(seen, 2, Interest.WRITABLE);
    registry().reregister(pair[1], 3, Interest.READABLE);
    seen = expectEvents(readable(3));
    assertEquals(0, count(seen, 1) + count(seen, 2), "old tokens: " + seen);
    assertWithinInterest(seen, 3, Interest.READABLE);
  }

  // 1, 14 over IPv6 (tcp_stream.rs tcp_stream_ipv6): connect to ::1, the writable event, data
  // both ways.
  @Test
  @Timeout(10)
  default void ipv6LoopbackConnectsAndExchangesData() throws Exception {
    TcpListener listener = ipv6ListenerOrSkip();
    TcpStream client = closeAfter(TcpStream.connect(listener.localAddress()));
    registry().register(client, 1, BOTH);
    expectEvents(writable(1));
    assertTrue(client.finishConnect());
    TcpStream server = acceptOne(listener);
    assertInstanceOf(Inet6Address.class, server.peerAddress().getAddress());
    assertTrue(server.peerAddress().getAddress().isLoopbackAddress());
    registry().register(server, 2, Interest.READABLE);
    writeFully(client, new byte[] {6, 6});
    expectEvents(readable(2));
    assertArrayEquals(new byte[] {6, 6}, readAvailable(server));
    writeFully(server, new byte[] {4});
    expectEvents(readable(1));
    assertArrayEquals(new byte[] {4}, readAvailable(client));
  }

  /** A listener on ::1, or a skipped test (with the reason) where ::1 is not configured. */
  private TcpListener ipv6ListenerOrSkip() throws IOException {
    try {
      return closeAfter(TcpListener.bind(LOCALHOST_V6));
    } catch (IOException e) {
      Assumptions.abort("IPv6 loopback ::1 is not available here: " + e);
      throw e;
    }
  }
}
