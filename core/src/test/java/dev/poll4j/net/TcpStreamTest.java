package dev.poll4j.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.poll4j.Interest;
import dev.poll4j.spi.Ops;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

@DisabledOnOs(
    value = OS.WINDOWS,
    disabledReason =
        "polls with core's poll(2) backend, which does not exist on Windows; there the"
            + " conformance suite runs the sockets on IOCP")
@Timeout(30)
class TcpStreamTest extends SocketTestSupport {
  /** A listener, a connected client and the accepted server end. */
  TcpStream[] connectedPair() throws IOException {
    TcpListener l = track(TcpListener.bind(LOOPBACK));
    TcpStream client = track(TcpStream.connect(l.localAddress()));
    TcpStream server = acceptOne(l);
    p.poll.registry().register(client, 900, Interest.WRITABLE);
    p.await(900, Ops.WRITABLE);
    assertTrue(client.finishConnect());
    p.poll.registry().deregister(client);
    return new TcpStream[] {client, server};
  }

  TcpStream acceptOne(TcpListener l) throws IOException {
    long deadline = System.nanoTime() + Polling.DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      TcpStream s = l.accept();
      if (s != null) {
        return track(s);
      }
      Thread.onSpinWait();
    }
    fail("no connection accepted");
    return null;
  }

  @Test
  void acceptReturnsNullUntilAConnectionIsPendingThenAcceptsUntilNull() throws IOException {
    TcpListener l = track(TcpListener.bind(LOOPBACK));
    assertNull(l.accept(), "no connection pending");
    p.poll.registry().register(l, 1, Interest.READABLE);
    p.quiet(1);
    for (int i = 0; i < 3; i++) {
      track(TcpStream.connect(l.localAddress()));
    }
    p.await(1, Ops.READABLE);
    int accepted = 0;
    long deadline = System.nanoTime() + Polling.DEADLINE.toNanos();
    while (accepted < 3 && System.nanoTime() < deadline) {
      TcpStream s;
      while ((s = l.accept()) != null) {
        track(s);
        accepted++;
        assertEquals(InetAddress.getLoopbackAddress(), s.peerAddress().getAddress());
        assertEquals(l.localAddress(), s.localAddress());
      }
      if (accepted < 3) {
        p.await(1, Ops.READABLE); // drained to would-block: a later connection re-arms
      }
    }
    assertEquals(3, accepted);
    assertNull(l.accept());
    p.quiet(1);
  }

  @Test
  void connectToListenerGivesWritableThenFinishConnect() throws IOException {
    TcpListener l = track(TcpListener.bind(LOOPBACK));
    TcpStream c = track(TcpStream.connect(l.localAddress()));
    p.poll.registry().register(c, 2, Interest.WRITABLE);
    p.await(2, Ops.WRITABLE);
    assertTrue(c.finishConnect());
    assertTrue(c.finishConnect(), "idempotent");
    assertNull(c.takeError());
    assertEquals(l.localAddress(), c.peerAddress());
    TcpStream s = acceptOne(l);
    assertEquals(c.localAddress(), s.peerAddress());
    assertEquals(s.localAddress(), c.peerAddress());
    assertTrue(s.finishConnect(), "an accepted stream is connected");
  }

  @Test
  void openBindToAndBeginConnect() throws IOException {
    TcpListener l = track(TcpListener.bind(LOOPBACK));
    TcpStream c = track(TcpStream.open(StandardProtocolFamily.INET));
    assertNull(c.peerAddress(), "not connected yet");
    c.bindTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    int port = c.localAddress().getPort();
    assertTrue(port > 0);
    c.beginConnect(l.localAddress());
    p.poll.registry().register(c, 3, Interest.WRITABLE);
    p.await(3, Ops.WRITABLE);
    assertTrue(c.finishConnect());
    assertEquals(port, acceptOne(l).peerAddress().getPort());
  }

  /**
   * A stream connecting to a loopback port where nothing listens. Aborts the test when the
   * kernel refuses at once: that is allowed, but then the event path is not tested, so it is
   * reported as a skip, not a pass.
   */
  TcpStream connectingToAClosedPort() throws IOException {
    int port;
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = ss.getLocalPort(); // closed again: nothing listens there now
    }
    try {
      return track(
          TcpStream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
    } catch (ConnectException refusedAtOnce) {
      return Assumptions.abort("connect was refused synchronously: " + refusedAtOnce);
    }
  }

  @Test
  void refusedConnectGivesAnEventAndAnError() throws IOException {
    TcpStream c = connectingToAClosedPort();
    p.poll.registry().register(c, 4, Interest.WRITABLE.add(Interest.READABLE));
    int bits = p.await(4, 0);
    assertTrue((bits & (Ops.WRITABLE | Ops.ERROR)) != 0, Ops.toString(bits));
    IOException e = c.takeError();
    assertInstanceOf(ConnectException.class, e);
    assertEquals("Connection refused", e.getMessage());
    assertNull(c.takeError(), "taken");
    ConnectException again = assertThrows(ConnectException.class, c::finishConnect);
    assertTrue(again.getMessage().contains("takeError"), again.getMessage());
  }

  @Test
  void refusedConnectMakesFinishConnectThrowConnectException() throws IOException {
    TcpStream c = connectingToAClosedPort();
    p.poll.registry().register(c, 5, Interest.WRITABLE);
    p.await(5, 0);
    ConnectException e = assertThrows(ConnectException.class, c::finishConnect);
    assertEquals("Connection refused", e.getMessage());
  }

  @Test
  void transfers16MiBBothWaysWithHeapBuffersDrivenByEdgeEvents() throws IOException {
    transfer(false);
  }

  @Test
  void transfers16MiBBothWaysWithDirectBuffersAndScatterGather() throws IOException {
    transfer(true);
  }

  static byte pattern(long i, int seed) {
    return (byte) (i * 31 + seed + (i >>> 13));
  }

  /**
   * Each end sends 16 MiB and receives the other's 16 MiB, on one thread, driven by edge events:
   * every operation repeats until it would block, then the loop polls.
   */
  void transfer(boolean direct) throws IOException {
    TcpStream[] ends = connectedPair();
    final long total = 16L << 20;
    for (TcpStream s : ends) {
      s.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024); // many partial writes
    }
    long[] sent = new long[2];
    long[] received = new long[2];
    int[] partialWrites = new int[1];
    for (int i = 0; i < 2; i++) {
      p.poll.registry().register(ends[i], 10 + i, Interest.READABLE.add(Interest.WRITABLE));
    }
    ByteBuffer out = direct ? ByteBuffer.allocateDirect(200_000) : ByteBuffer.allocate(200_000);
    ByteBuffer in = direct ? ByteBuffer.allocateDirect(150_000) : ByteBuffer.allocate(150_000);
    ByteBuffer in2 = ByteBuffer.allocate(7_777); // heap, mixed into the scatter read
    long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
    while (sent[0] < total || sent[1] < total || received[0] < total || received[1] < total) {
      assertTrue(System.nanoTime() < deadline, "transfer stalled: sent " + sent[0] + "/"
          + sent[1] + ", received " + received[0] + "/" + received[1]);
      List<Polling.Seen> seen = p.once(Duration.ofSeconds(1));
      for (Polling.Seen e : seen) {
        int i = (int) (e.token() - 10);
        TcpStream s = ends[i];
        // Write until would-block.
        while (sent[i] < total) {
          out.clear();
          int n0 = (int) Math.min(out.capacity(), total - sent[i]);
          for (int k = 0; k < n0; k++) {
            out.put(k, pattern(sent[i] + k, i));
          }
          out.limit(n0);
          long n;
          if (direct) {
            ByteBuffer a = out.duplicate().limit(n0 / 3);
            ByteBuffer b = out.duplicate().position(n0 / 3);
            n = s.write(new ByteBuffer[] {a, b});
          } else {
            n = s.write(out);
          }
          if (n == 0) {
            break;
          }
          if (n < n0) {
            partialWrites[0]++;
          }
          sent[i] += n;
        }
        // Read until would-block.
        for (; ; ) {
          in.clear();
          in2.clear();
          long n = direct ? s.read(new ByteBuffer[] {in, in2}) : s.read(in);
          if (n == 0) {
            break;
          }
          assertTrue(n > 0, "unexpected end of stream");
          int other = 1 - i;
          in.flip();
          in2.flip();
          for (ByteBuffer b : new ByteBuffer[] {in, in2}) {
            while (b.hasRemaining()) {
              byte got = b.get();
              if (got != pattern(received[i], other)) {
                fail("byte " + received[i] + " from end " + other + " is wrong");
              }
              received[i]++;
            }
          }
        }
      }
    }
    assertEquals(total, received[0]);
    assertEquals(total, received[1]);
    assertTrue(partialWrites[0] > 0, "the send buffer never filled: no partial write");
  }

  @Test
  void peerHalfCloseGivesReadClosedThenEndOfStream() throws IOException {
    TcpStream[] ends = connectedPair();
    p.poll.registry().register(ends[0], 20, Interest.READABLE);
    p.quiet(20); // no read-closed before the FIN
    ends[1].write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    ends[1].shutdownOutput();
    p.await(20, Ops.READABLE | Ops.READ_CLOSED);
    ByteBuffer dst = ByteBuffer.allocate(16);
    assertEquals(3, ends[0].read(dst));
    assertEquals(-1, ends[0].read(dst));
    assertEquals(-1, ends[0].peek(dst.clear()));
    // The other direction still works.
    assertEquals(1, ends[0].write(ByteBuffer.wrap(new byte[] {9})));
    p.poll.registry().register(ends[1], 21, Interest.READABLE);
    p.await(21, Ops.READABLE);
    assertEquals(1, ends[1].read(dst.clear()));
  }

  @Test
  void localShutdownInputMakesReadsReturnEndOfStream() throws IOException {
    TcpStream[] ends = connectedPair();
    ends[0].shutdownInput();
    assertEquals(-1, ends[0].read(ByteBuffer.allocate(4)));
    ends[0].shutdownInput(); // again: harmless
  }

  @Test
  void peerResetGivesReadableThenConnectionReset() throws IOException {
    TcpStream[] ends = connectedPair();
    p.poll.registry().register(ends[0], 22, Interest.READABLE);
    ends[1].setOption(StandardSocketOptions.SO_LINGER, 0);
    assertEquals(0, ends[1].getOption(StandardSocketOptions.SO_LINGER));
    ends[1].close();
    p.await(22, Ops.READABLE);
    ByteBuffer dst = ByteBuffer.allocate(16);
    try {
      int n = ends[0].read(dst);
      assertEquals(-1, n, "a reset reads as an error or end of stream");
    } catch (SocketException e) {
      assertEquals("Connection reset", e.getMessage());
    }
  }

  @Test
  void writeToAResetConnectionFailsWithoutKillingTheJvm() throws IOException {
    TcpStream[] ends = connectedPair();
    ends[1].setOption(StandardSocketOptions.SO_LINGER, 0);
    ends[1].close();
    ByteBuffer src = ByteBuffer.allocate(64 * 1024);
    IOException e = assertThrows(IOException.class, () -> {
      for (int i = 0; i < 1000; i++) {
        src.clear();
        ends[0].write(src);
      }
    });
    assertTrue(e.getMessage().contains("Connection reset") || e.getMessage().contains("EPIPE"),
        e.toString());
  }

  @Test
  void wouldBlockWriteBecomesWritableAfterThePeerDrains() throws IOException {
    TcpStream[] ends = connectedPair();
    ends[0].setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
    ends[1].setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
    p.poll.registry().register(ends[0], 23, Interest.WRITABLE);
    p.await(23, Ops.WRITABLE);
    ByteBuffer src = ByteBuffer.allocateDirect(64 * 1024);
    long written = 0;
    int n;
    while ((n = ends[0].write(src.clear())) > 0) {
      written += n;
    }
    assertEquals(0, n);
    assertTrue(written > 0);
    p.quiet(23); // full: no writable event until the peer reads
    ByteBuffer dst = ByteBuffer.allocateDirect(64 * 1024);
    long read = 0;
    long deadline = System.nanoTime() + Polling.DEADLINE.toNanos();
    while (read < written && System.nanoTime() < deadline) {
      read += Math.max(0, ends[1].read(dst.clear()));
    }
    assertEquals(written, read);
    p.await(23, Ops.WRITABLE);
    assertTrue(ends[0].write(src.clear()) > 0);
  }

  @Test
  void deregisteredStreamYieldsNoEvents() throws IOException {
    TcpStream[] ends = connectedPair();
    p.poll.registry().register(ends[0], 24, Interest.READABLE.add(Interest.WRITABLE));
    p.await(24, Ops.WRITABLE);
    p.poll.registry().deregister(ends[0]);
    ends[1].write(ByteBuffer.wrap(new byte[] {1}));
    ends[1].shutdownOutput();
    p.quiet(24);
    // I/O still works after deregistration.
    ByteBuffer dst = ByteBuffer.allocate(4);
    long deadline = System.nanoTime() + Polling.DEADLINE.toNanos();
    while (dst.position() == 0 && System.nanoTime() < deadline) {
      ends[0].read(dst);
    }
    assertEquals(1, dst.get(0));
  }

  @Test
  void urgentDataGivesAPriorityEvent() throws IOException {
    TcpStream[] ends = connectedPair();
    p.poll.registry().register(ends[0], 25, Interest.READABLE.add(Interest.PRIORITY));
    p.quiet(25);
    assertEquals(-1, ends[0].readUrgentData(), "none pending");
    assertTrue(ends[1].sendUrgentData('!'));
    p.await(25, Ops.PRIORITY);
    assertEquals('!', ends[0].readUrgentData());
    assertEquals(-1, ends[0].readUrgentData(), "taken");
  }

  @Test
  void successfulPeekDoesNotRearmButWouldBlockPeekDoes() throws IOException {
    TcpStream[] ends = connectedPair();
    p.poll.registry().register(ends[0], 26, Interest.READABLE);
    ByteBuffer dst = ByteBuffer.allocate(16);
    assertEquals(0, ends[0].peek(dst), "nothing yet: would block, re-arms");
    ends[1].write(ByteBuffer.wrap(new byte[] {7, 8}));
    p.await(26, Ops.READABLE);
    assertEquals(2, ends[0].peek(dst));
    assertEquals(2, dst.position());
    assertEquals(7, dst.get(0));
    // The data is still there, but a successful peek is not would-block: no new edge.
    p.quiet(26);
    assertEquals(2, ends[0].read(dst.clear()), "peek did not consume");
    assertEquals(0, ends[0].read(dst.clear()));
    ends[1].write(ByteBuffer.wrap(new byte[] {9}));
    p.await(26, Ops.READABLE);
  }

  @Test
  void directBufferPositionIsHonoured() throws IOException {
    TcpStream[] ends = connectedPair();
    ByteBuffer src = ByteBuffer.allocateDirect(16);
    for (int i = 0; i < 16; i++) {
      src.put(i, (byte) i);
    }
    src.position(5).limit(9);
    assertEquals(4, ends[0].write(src));
    assertEquals(9, src.position());
    ByteBuffer dst = ByteBuffer.allocateDirect(16).position(10);
    p.poll.registry().register(ends[1], 27, Interest.READABLE);
    p.await(27, Ops.READABLE);
    assertEquals(4, ends[1].read(dst));
    assertEquals(14, dst.position());
    for (int i = 0; i < 4; i++) {
      assertEquals(5 + i, dst.get(10 + i));
    }
  }

  @Test
  void scatterGatherFillsAndDrainsBuffersInOrder() throws IOException {
    TcpStream[] ends = connectedPair();
    ByteBuffer a = ByteBuffer.wrap(new byte[] {1, 2, 3});
    ByteBuffer b = ByteBuffer.allocateDirect(2).put(new byte[] {4, 5}).flip();
    ByteBuffer empty = ByteBuffer.allocate(0);
    ByteBuffer c = ByteBuffer.wrap(new byte[] {0, 6, 7}).position(1);
    assertEquals(7, ends[0].write(new ByteBuffer[] {a, empty, b, c}));
    assertFalse(a.hasRemaining() || b.hasRemaining() || c.hasRemaining());
    p.poll.registry().register(ends[1], 28, Interest.READABLE);
    p.await(28, Ops.READABLE);
    ByteBuffer x = ByteBuffer.allocateDirect(2);
    ByteBuffer y = ByteBuffer.allocate(4);
    ByteBuffer z = ByteBuffer.allocateDirect(8);
    assertEquals(7, ends[1].read(new ByteBuffer[] {x, y, z}));
    assertEquals(2, x.position());
    assertEquals(4, y.position());
    assertEquals(1, z.position());
    byte[] all = new byte[7];
    x.flip().get(all, 0, 2);
    y.flip().get(all, 2, 4);
    z.flip().get(all, 6, 1);
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7}, all);
    assertEquals(0, ends[1].read(new ByteBuffer[] {x.clear(), y.clear()}, 1, 1), "would block");
    assertThrows(IndexOutOfBoundsException.class, () -> ends[1].read(new ByteBuffer[1], 1, 1));
  }

  @Test
  void largeHeapWriteIsPartialNotAnError() throws IOException {
    TcpStream[] ends = connectedPair();
    ByteBuffer big = ByteBuffer.allocate(8 << 20);
    int n = ends[0].write(big);
    assertTrue(n > 0 && n <= 1 << 20, "one heap-buffer call moves at most 1 MiB: " + n);
    assertEquals(n, big.position());
  }

  @Test
  void readIntoReadOnlyBufferIsRefused() throws IOException {
    TcpStream[] ends = connectedPair();
    assertThrows(IllegalArgumentException.class,
        () -> ends[0].read(ByteBuffer.allocate(4).asReadOnlyBuffer()));
  }

  @Test
  void closedStreamThrowsClosedChannelException() throws IOException {
    TcpStream[] ends = connectedPair();
    ends[0].close();
    ends[0].close(); // idempotent
    assertFalse(ends[0].isOpen());
    assertThrows(ClosedChannelException.class, () -> ends[0].read(ByteBuffer.allocate(1)));
    assertThrows(ClosedChannelException.class, () -> ends[0].write(ByteBuffer.allocate(1)));
    assertThrows(ClosedChannelException.class, () -> ends[0].localAddress());
    assertThrows(ClosedChannelException.class, () -> ends[0].shutdownOutput());
    assertThrows(ClosedChannelException.class,
        () -> ends[0].getOption(StandardSocketOptions.TCP_NODELAY));
  }

  @Test
  void bindingAnAddressInUseThrowsBindException() throws IOException {
    TcpListener l = track(TcpListener.bind(LOOPBACK));
    BindException e = assertThrows(BindException.class, () -> TcpListener.bind(l.localAddress()));
    assertTrue(e.getMessage().contains("EADDRINUSE"), e.getMessage());
  }

  @Test
  void optionsRoundTrip() throws IOException {
    TcpStream s = connectedPair()[0];
    s.setOption(StandardSocketOptions.TCP_NODELAY, true);
    assertTrue(s.getOption(StandardSocketOptions.TCP_NODELAY));
    s.setOption(StandardSocketOptions.TCP_NODELAY, false);
    assertFalse(s.getOption(StandardSocketOptions.TCP_NODELAY));
    s.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
    assertTrue(s.getOption(StandardSocketOptions.SO_KEEPALIVE));
    s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    assertTrue(s.getOption(StandardSocketOptions.SO_REUSEADDR));
    s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
    assertTrue(s.getOption(StandardSocketOptions.SO_REUSEPORT));
    assertEquals(-1, s.getOption(StandardSocketOptions.SO_LINGER), "off by default");
    s.setOption(StandardSocketOptions.SO_LINGER, 7);
    assertEquals(7, s.getOption(StandardSocketOptions.SO_LINGER));
    s.setOption(StandardSocketOptions.SO_LINGER, -1);
    assertEquals(-1, s.getOption(StandardSocketOptions.SO_LINGER));
    s.setOption(StandardSocketOptions.SO_RCVBUF, 100_000);
    assertTrue(s.getOption(StandardSocketOptions.SO_RCVBUF) >= 100_000);
    s.setOption(StandardSocketOptions.SO_SNDBUF, 100_000);
    assertTrue(s.getOption(StandardSocketOptions.SO_SNDBUF) >= 100_000);
    s.setOption(StandardSocketOptions.IP_TOS, 0x10);
    assertEquals(0x10, s.getOption(StandardSocketOptions.IP_TOS));
    s.setOption(NetOptions.IP_TTL, 42);
    assertEquals(42, s.getOption(NetOptions.IP_TTL));
    assertThrows(IllegalArgumentException.class, () -> s.setOption(NetOptions.IP_TTL, 0));
    assertThrows(IllegalArgumentException.class,
        () -> s.setOption(StandardSocketOptions.SO_RCVBUF, null));
    assertThrows(UnsupportedOperationException.class,
        () -> s.setOption(StandardSocketOptions.SO_BROADCAST, true));
    assertTrue(s.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY));

    TcpListener l = track(TcpListener.open(StandardProtocolFamily.INET));
    l.setOption(StandardSocketOptions.SO_REUSEPORT, true);
    assertTrue(l.getOption(StandardSocketOptions.SO_REUSEPORT));
    l.setOption(StandardSocketOptions.SO_RCVBUF, 50_000);
    assertTrue(l.getOption(StandardSocketOptions.SO_RCVBUF) >= 50_000);
    l.listen(LOOPBACK, 16);
    assertTrue(l.getOption(StandardSocketOptions.SO_REUSEPORT));
    // SO_REUSEPORT lets a second listener share the port.
    TcpListener l2 = track(TcpListener.open(StandardProtocolFamily.INET));
    l2.setOption(StandardSocketOptions.SO_REUSEPORT, true).listen(l.localAddress(), 16);
    assertEquals(l.localAddress(), l2.localAddress());
    assertTrue(TcpListener.bind(LOOPBACK).getOption(StandardSocketOptions.SO_REUSEADDR),
        "bind sets SO_REUSEADDR");
  }

  @Test
  void ipv6LoopbackWorks() throws IOException {
    TcpListener l;
    try {
      l = track(TcpListener.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0)));
    } catch (IOException noIpv6) {
      Assumptions.abort("no IPv6 loopback here: " + noIpv6);
      return;
    }
    assertEquals(InetAddress.getByName("::1"), l.localAddress().getAddress());
    TcpStream c = track(TcpStream.connect(l.localAddress()));
    TcpStream s = acceptOne(l);
    p.poll.registry().register(c, 30, Interest.WRITABLE);
    p.await(30, Ops.WRITABLE);
    assertTrue(c.finishConnect());
    assertEquals(InetAddress.getByName("::1"), s.peerAddress().getAddress());
    assertEquals(3, c.write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
    p.poll.registry().register(s, 31, Interest.READABLE);
    p.await(31, Ops.READABLE);
    assertEquals(3, s.read(ByteBuffer.allocate(8)));
  }

  @Test
  void dualStackListenerAcceptsIpv4() throws IOException {
    TcpListener l;
    try {
      l = track(TcpListener.bind(new InetSocketAddress(InetAddress.getByName("::"), 0)));
    } catch (IOException noIpv6) {
      Assumptions.abort("no IPv6 here: " + noIpv6);
      return;
    }
    int port = l.localAddress().getPort();
    TcpStream c = track(TcpStream.connect(new InetSocketAddress("127.0.0.1", port)));
    TcpStream s = acceptOne(l);
    assertEquals(InetAddress.getByName("127.0.0.1"), s.peerAddress().getAddress(),
        "IPv4-mapped addresses come back as IPv4");
    assertEquals(c.localAddress(), s.peerAddress());
  }
}
