package dev.poll4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.Interest;
import dev.poll4j.spi.Ops;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
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
class UdpSocketTest extends SocketTestSupport {
  UdpSocket bound() throws IOException {
    UdpSocket s = UdpSocket.bind(LOOPBACK);
    track(s);
    return s;
  }

  /** Receives one datagram from {@code s}, waiting for readiness on {@code token}. */
  InetSocketAddress receive(UdpSocket s, long token, ByteBuffer dst) throws IOException {
    InetSocketAddress from = s.recvFrom(dst);
    if (from == null) {
      p.await(token, Ops.READABLE);
      from = s.recvFrom(dst);
    }
    assertNotNull(from, "readable, yet no datagram");
    return from;
  }

  @Test
  void unconnectedSendToAndRecvFrom() throws IOException {
    UdpSocket a = bound();
    UdpSocket b = bound();
    p.poll.registry().register(b, 1, Interest.READABLE);
    p.quiet(1); // a bound, idle socket gives no event
    assertNull(b.recvFrom(ByteBuffer.allocate(8)), "nothing queued: would block");
    assertEquals(3, a.sendTo(ByteBuffer.wrap(new byte[] {1, 2, 3}), b.localAddress()));
    ByteBuffer dst = ByteBuffer.allocate(8);
    assertEquals(a.localAddress(), receive(b, 1, dst));
    assertEquals(3, dst.position());
    assertEquals(3, dst.get(2));
    assertNull(a.peerAddress(), "not connected");
  }

  @Test
  void emptyDatagramIsToldApartFromWouldBlock() throws IOException {
    UdpSocket a = bound();
    UdpSocket b = bound();
    p.poll.registry().register(b, 2, Interest.READABLE);
    assertEquals(0, a.sendTo(ByteBuffer.allocate(0), b.localAddress()));
    ByteBuffer dst = ByteBuffer.allocate(8);
    assertEquals(a.localAddress(), receive(b, 2, dst), "an empty datagram has a sender");
    assertEquals(0, dst.position());
    assertNull(b.recvFrom(dst), "and then nothing");
    // An empty datagram into a full buffer, too.
    assertEquals(0, a.sendTo(ByteBuffer.allocateDirect(0), b.localAddress()));
    assertEquals(a.localAddress(), receive(b, 2, ByteBuffer.allocate(0)));
  }

  @Test
  void connectedSendAndRecv() throws IOException {
    UdpSocket a = bound();
    UdpSocket b = bound();
    UdpSocket stranger = bound();
    a.connect(b.localAddress());
    b.connect(a.localAddress());
    assertEquals(b.localAddress(), a.peerAddress());
    p.poll.registry().register(b, 3, Interest.READABLE);
    stranger.sendTo(ByteBuffer.wrap(new byte[] {66}), b.localAddress());
    assertEquals(2, a.send(ByteBuffer.wrap(new byte[] {4, 5})));
    p.await(3, Ops.READABLE);
    ByteBuffer dst = ByteBuffer.allocateDirect(8);
    assertEquals(2, b.peek(dst));
    assertEquals(2, b.recv(dst.clear()), "peek left it queued");
    assertEquals(5, dst.get(1));
    assertEquals(0, b.recv(dst.clear()), "the stranger's datagram was dropped");
    // Reconnect elsewhere, then disconnect: datagrams from anyone again.
    b.connect(stranger.localAddress());
    b.disconnect();
    assertNull(b.peerAddress());
    stranger.sendTo(ByteBuffer.wrap(new byte[] {67}), b.localAddress());
    assertEquals(stranger.localAddress(), receive(b, 3, dst.clear()));
  }

  @Test
  void edgeTriggeredRecvRearmsOnlyAfterWouldBlock() throws IOException {
    UdpSocket a = bound();
    UdpSocket b = bound();
    p.poll.registry().register(b, 4, Interest.READABLE);
    ByteBuffer src = ByteBuffer.allocate(4);
    a.sendTo(src.clear(), b.localAddress());
    a.sendTo(src.clear(), b.localAddress());
    p.await(4, Ops.READABLE);
    assertNotNull(b.recvFrom(ByteBuffer.allocate(8)));
    p.quiet(4); // one datagram left, but not drained to would-block: no new edge
    assertNotNull(b.recvFrom(ByteBuffer.allocate(8)));
    assertNull(b.recvFrom(ByteBuffer.allocate(8)), "drained");
    a.sendTo(src.clear(), b.localAddress());
    p.await(4, Ops.READABLE);
  }

  @Test
  void datagramIsTruncatedToTheBuffer() throws IOException {
    UdpSocket a = bound();
    UdpSocket b = bound();
    a.sendTo(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}), b.localAddress());
    a.sendTo(ByteBuffer.wrap(new byte[] {6}), b.localAddress());
    p.poll.registry().register(b, 5, Interest.READABLE);
    ByteBuffer dst = ByteBuffer.allocate(2);
    receive(b, 5, dst);
    assertEquals(2, dst.position());
    dst = ByteBuffer.allocate(8);
    receive(b, 5, dst);
    assertEquals(1, dst.position(), "the rest of the first datagram is gone");
    assertEquals(6, dst.get(0));
  }

  @Test
  void sameSenderGivesTheSameAddressObject() throws IOException {
    UdpSocket a = bound();
    UdpSocket b = bound();
    InetSocketAddress target = b.localAddress();
    for (int i = 0; i < 2; i++) {
      a.sendTo(ByteBuffer.wrap(new byte[] {(byte) i}), target);
    }
    p.poll.registry().register(b, 6, Interest.READABLE);
    InetSocketAddress first = receive(b, 6, ByteBuffer.allocate(4));
    InetSocketAddress second = receive(b, 6, ByteBuffer.allocate(4));
    assertSame(first, second, "a steady exchange decodes no new address");
  }

  @Test
  void peerPortUnreachableIsReported() throws IOException {
    UdpSocket gone = UdpSocket.bind(LOOPBACK);
    InetSocketAddress dead = gone.localAddress();
    gone.close();
    UdpSocket a = bound();
    a.connect(dead);
    p.poll.registry().register(a, 7, Interest.READABLE);
    a.send(ByteBuffer.wrap(new byte[] {1}));
    int bits = p.await(7, 0);
    assertTrue((bits & (Ops.READABLE | Ops.ERROR)) != 0, Ops.toString(bits));
    assertThrows(PortUnreachableException.class, () -> a.recv(ByteBuffer.allocate(4)));
    assertEquals(0, a.recv(ByteBuffer.allocate(4)), "error taken; now it would block (re-arms)");
    // Again, through takeError.
    a.send(ByteBuffer.wrap(new byte[] {1}));
    p.await(7, 0);
    long deadline = System.nanoTime() + Polling.DEADLINE.toNanos();
    IOException e;
    while ((e = a.takeError()) == null && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertTrue(e instanceof PortUnreachableException, String.valueOf(e));
  }

  @Test
  void directAndHeapBuffersAndPositions() throws IOException {
    UdpSocket a = bound();
    UdpSocket b = bound();
    ByteBuffer src = ByteBuffer.allocateDirect(10);
    for (int i = 0; i < 10; i++) {
      src.put(i, (byte) i);
    }
    src.position(3).limit(6);
    assertEquals(3, a.sendTo(src, b.localAddress()));
    assertEquals(6, src.position());
    ByteBuffer heap = ByteBuffer.wrap(new byte[] {0, 0, 42, 43}).position(2);
    assertEquals(2, a.sendTo(heap, b.localAddress()));
    assertFalse(heap.hasRemaining());
    p.poll.registry().register(b, 8, Interest.READABLE);
    ByteBuffer dst = ByteBuffer.allocateDirect(10).position(4);
    receive(b, 8, dst);
    assertEquals(7, dst.position());
    assertEquals(3, dst.get(4));
    assertEquals(5, dst.get(6));
    ByteBuffer dst2 = ByteBuffer.allocate(10).position(1);
    receive(b, 8, dst2);
    assertEquals(3, dst2.position());
    assertEquals(43, dst2.get(2));
  }

  @Test
  void deregisteredSocketYieldsNoEvents() throws IOException {
    UdpSocket a = bound();
    UdpSocket b = bound();
    p.poll.registry().register(b, 9, Interest.READABLE);
    p.poll.registry().deregister(b);
    a.sendTo(ByteBuffer.wrap(new byte[] {1}), b.localAddress());
    p.quiet(9);
    long deadline = System.nanoTime() + Polling.DEADLINE.toNanos();
    InetSocketAddress from = null;
    while (from == null && System.nanoTime() < deadline) {
      from = b.recvFrom(ByteBuffer.allocate(4));
    }
    assertEquals(a.localAddress(), from, "direct I/O still works");
  }

  @Test
  void ipv6LoopbackAndDualStack() throws IOException {
    UdpSocket v6;
    try {
      v6 = UdpSocket.bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
    } catch (IOException noIpv6) {
      Assumptions.abort("no IPv6 here: " + noIpv6);
      return;
    }
    track(v6);
    int port = v6.localAddress().getPort();
    UdpSocket v4 = bound();
    UdpSocket v6client = UdpSocket.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
    track(v6client);
    p.poll.registry().register(v6, 10, Interest.READABLE);
    v6client.sendTo(ByteBuffer.wrap(new byte[] {6}), new InetSocketAddress("::1", port));
    assertEquals(v6client.localAddress(), receive(v6, 10, ByteBuffer.allocate(4)));
    v4.sendTo(ByteBuffer.wrap(new byte[] {4}), new InetSocketAddress("127.0.0.1", port));
    InetSocketAddress from = receive(v6, 10, ByteBuffer.allocate(4));
    assertEquals(v4.localAddress(), from, "IPv4-mapped comes back as IPv4");
    // And an IPv4 destination from the dual-stack socket.
    v6.sendTo(ByteBuffer.wrap(new byte[] {5}), v4.localAddress());
    p.poll.registry().register(v4, 11, Interest.READABLE);
    assertEquals(port, receive(v4, 11, ByteBuffer.allocate(4)).getPort());
  }

  @Test
  void multicastJoinSendReceiveLeaveOnLoopback() throws IOException {
    NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getByName("127.0.0.1"));
    Assumptions.assumeTrue(lo != null, "no loopback interface");
    InetAddress group = InetAddress.getByName("239.255.77.1");
    UdpSocket r =
        UdpSocket.open(StandardProtocolFamily.INET)
            .setOption(StandardSocketOptions.SO_REUSEADDR, true)
            .bindTo(new InetSocketAddress(0));
    track(r);
    r.joinGroup(group, lo);
    IOException twice = assertThrows(IOException.class, () -> r.joinGroup(group, lo));
    assertTrue(twice.getMessage().contains("EADDRINUSE"), twice.getMessage());
    UdpSocket s = bound();
    s.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
    assertEquals(lo, s.getOption(StandardSocketOptions.IP_MULTICAST_IF));
    s.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
    s.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0); // never leaves the host
    p.poll.registry().register(r, 12, Interest.READABLE);
    InetSocketAddress to = new InetSocketAddress(group, r.localAddress().getPort());
    assertEquals(2, s.sendTo(ByteBuffer.wrap(new byte[] {12, 34}), to));
    ByteBuffer dst = ByteBuffer.allocate(8);
    assertEquals(s.localAddress().getPort(), receive(r, 12, dst).getPort());
    assertEquals(34, dst.get(1));
    r.leaveGroup(group, lo);
    IOException notJoined = assertThrows(IOException.class, () -> r.leaveGroup(group, lo));
    assertTrue(notJoined.getMessage().contains("EADDRNOTAVAIL"), notJoined.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> r.joinGroup(InetAddress.getByName("127.0.0.1"), lo), "not a multicast address");
  }

  @Test
  void optionsRoundTrip() throws IOException {
    UdpSocket s = UdpSocket.open(StandardProtocolFamily.INET);
    track(s);
    s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    assertTrue(s.getOption(StandardSocketOptions.SO_REUSEADDR));
    s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
    assertTrue(s.getOption(StandardSocketOptions.SO_REUSEPORT));
    s.bindTo(LOOPBACK);
    // SO_REUSEPORT: a second socket may bind the same port.
    UdpSocket twin = UdpSocket.open(StandardProtocolFamily.INET);
    track(twin);
    twin.setOption(StandardSocketOptions.SO_REUSEPORT, true).bindTo(s.localAddress());
    assertFalse(s.getOption(StandardSocketOptions.SO_BROADCAST));
    s.setOption(StandardSocketOptions.SO_BROADCAST, true);
    assertTrue(s.getOption(StandardSocketOptions.SO_BROADCAST));
    s.setOption(NetOptions.IP_TTL, 9);
    assertEquals(9, s.getOption(NetOptions.IP_TTL));
    s.setOption(StandardSocketOptions.IP_TOS, 0x20);
    assertEquals(0x20, s.getOption(StandardSocketOptions.IP_TOS));
    s.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 3);
    assertEquals(3, s.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
    s.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
    assertFalse(s.getOption(StandardSocketOptions.IP_MULTICAST_LOOP));
    s.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
    assertTrue(s.getOption(StandardSocketOptions.IP_MULTICAST_LOOP));
    assertNull(s.getOption(StandardSocketOptions.IP_MULTICAST_IF), "unset");
    s.setOption(StandardSocketOptions.SO_RCVBUF, 70_000);
    assertTrue(s.getOption(StandardSocketOptions.SO_RCVBUF) >= 70_000);
    s.setOption(StandardSocketOptions.SO_SNDBUF, 70_000);
    assertTrue(s.getOption(StandardSocketOptions.SO_SNDBUF) >= 70_000);
    assertThrows(UnsupportedOperationException.class,
        () -> s.setOption(StandardSocketOptions.TCP_NODELAY, true));
    assertThrows(IllegalArgumentException.class,
        () -> s.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 256));
  }

  @Test
  void ipv6OptionsRoundTrip() throws IOException {
    UdpSocket s;
    try {
      s = UdpSocket.open(StandardProtocolFamily.INET6);
    } catch (IOException noIpv6) {
      Assumptions.abort("no IPv6 here: " + noIpv6);
      return;
    }
    track(s);
    s.setOption(NetOptions.IP_TTL, 17);
    assertEquals(17, s.getOption(NetOptions.IP_TTL));
    s.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 4);
    assertEquals(4, s.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
    s.setOption(StandardSocketOptions.IP_TOS, 0x28);
    assertEquals(0x28, s.getOption(StandardSocketOptions.IP_TOS));
    NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getByName("::1"));
    Assumptions.assumeTrue(lo != null, "no IPv6 loopback interface");
    s.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
    assertEquals(lo, s.getOption(StandardSocketOptions.IP_MULTICAST_IF));
  }

  @Test
  void errorsAreJavaTypes() throws IOException {
    UdpSocket a = bound();
    BindException e = assertThrows(BindException.class, () -> UdpSocket.bind(a.localAddress()));
    assertTrue(e.getMessage().startsWith("bind("), e.getMessage());
    assertThrows(IOException.class, () -> a.send(ByteBuffer.allocate(1)), "not connected");
    assertThrows(IllegalArgumentException.class,
        () -> a.sendTo(ByteBuffer.allocate(1), new InetSocketAddress("::1", 9)),
        "an IPv6 destination on an IPv4 socket");
    assertThrows(java.nio.channels.UnresolvedAddressException.class,
        () -> a.sendTo(ByteBuffer.allocate(1), InetSocketAddress.createUnresolved("x", 9)));
    a.close();
    assertThrows(ClosedChannelException.class, () -> a.recvFrom(ByteBuffer.allocate(1)));
    assertThrows(ClosedChannelException.class,
        () -> a.sendTo(ByteBuffer.allocate(1), LOOPBACK));
  }

  @Test
  void oversizedDatagramFails() throws IOException {
    UdpSocket a = bound();
    UdpSocket b = bound();
    IOException e =
        assertThrows(IOException.class,
            () -> a.sendTo(ByteBuffer.allocateDirect(70_000), b.localAddress()));
    assertTrue(e.getMessage().contains("EMSGSIZE"), e.getMessage());
    IOException heap =
        assertThrows(IOException.class,
            () -> a.sendTo(ByteBuffer.allocate(70_000), b.localAddress()));
    assertTrue(heap.getMessage().contains("EMSGSIZE"), heap.getMessage());
  }
}
