package dev.poll4j.it;

import static dev.poll4j.it.Expect.count;
import static dev.poll4j.it.Expect.event;
import static dev.poll4j.it.Expect.readable;
import static dev.poll4j.it.Expect.writable;
import static dev.poll4j.it.SocketFixture.assertWithinInterest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.poll4j.Interest;
import dev.poll4j.net.UdpSocket;
import dev.poll4j.spi.Ops;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * UDP sockets over loopback: mio's udp_socket.rs; peers.md 1, 3, 5, 14, 23 (the UDP error), 26.
 * {@code recvFrom} returns null when it would block, which tells would-block from an empty
 * datagram; {@code recv} returns 0 for both, so these tests drain with {@code recvFrom}.
 */
interface UdpConformance extends SocketFixture {
  Interest BOTH = Interest.READABLE.add(Interest.WRITABLE);
  byte[] DATA1 = "Hello world!".getBytes(StandardCharsets.US_ASCII);
  byte[] DATA2 = "Hello mars!".getBytes(StandardCharsets.US_ASCII);

  /** Receives one datagram (fails if none is queued) and returns its bytes. */
  static byte[] receive(UdpSocket s) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(2048);
    assertTrue(s.recvFrom(b) != null, s + ": no datagram queued");
    return Arrays.copyOf(b.array(), b.position());
  }

  /** Sends {@code data} as one datagram to {@code to}; fails if it would block. */
  static void sendTo(UdpSocket s, byte[] data, InetSocketAddress to) throws IOException {
    assertEquals(data.length, s.sendTo(ByteBuffer.wrap(data), to), "sent whole");
  }

  // 1 (udp_socket_register): a bound socket with nothing queued gives no readable event.
  @Test
  @Timeout(10)
  default void idleUdpSocketGivesNoEvent() throws Exception {
    UdpSocket s = udpSocket();
    registry().register(s, 1, Interest.READABLE);
    expectNoEvents();
  }

  // 14, 26 (smoke_test_unconnected_udp_socket): writable at once; recvFrom and peekFrom would block
  // (null); datagrams both ways are readable, peekFrom leaves them, recvFrom takes them, and
  // both name the sender.
  @Test
  @Timeout(10)
  default void unconnectedSocketsExchangeDatagramsWithTheirSenders() throws Exception {
    UdpSocket a = udpSocket();
    UdpSocket b = udpSocket();
    registry().register(a, 1, BOTH);
    registry().register(b, 2, BOTH);
    List<Expect.Seen> seen = expectEvents(writable(1), writable(2));
    assertWithinInterest(seen, 1, BOTH);
    assertWithinInterest(seen, 2, BOTH);
    ByteBuffer buf = ByteBuffer.allocate(64);
    assertNull(a.peekFrom(buf), "nothing queued: would block");
    assertNull(a.recvFrom(buf), "nothing queued: would block");
    sendTo(a, DATA1, b.localAddress());
    sendTo(b, DATA2, a.localAddress());
    seen = expectEvents(readable(1), readable(2));
    assertWithinInterest(seen, 1, BOTH);
    assertEquals(b.localAddress(), a.peekFrom(buf.clear()));
    assertEquals(DATA2.length, buf.position());
    assertEquals(b.localAddress(), a.recvFrom(buf.clear()), "the peeked datagram is still there");
    assertEquals(DATA2.length, buf.position());
    assertEquals(a.localAddress(), b.recvFrom(buf.clear()));
    assertEquals(DATA1.length, buf.position());
    assertNull(a.takeError());
    assertNull(b.takeError());
  }

  // 14, 26 (smoke_test_connected_udp_socket): send and recv between connected sockets, peek
  // included.
  @Test
  @Timeout(10)
  default void connectedSocketsExchangeDatagramsWithSendAndRecv() throws Exception {
    UdpSocket a = udpSocket();
    UdpSocket b = udpSocket();
    a.connect(b.localAddress());
    b.connect(a.localAddress());
    assertEquals(b.localAddress(), a.peerAddress());
    registry().register(a, 1, BOTH);
    registry().register(b, 2, BOTH);
    expectEvents(writable(1), writable(2));
    ByteBuffer buf = ByteBuffer.allocate(64);
    assertEquals(0, a.peek(buf), "would block");
    assertEquals(0, a.recv(buf), "would block");
    assertEquals(DATA1.length, a.send(ByteBuffer.wrap(DATA1)));
    assertEquals(DATA2.length, b.send(ByteBuffer.wrap(DATA2)));
    expectEvents(readable(1), readable(2));
    assertEquals(DATA2.length, a.peek(buf.clear()));
    assertEquals(DATA2.length, a.recv(buf.clear()));
    assertEquals(new String(DATA2, StandardCharsets.US_ASCII), ascii(buf));
    assertEquals(DATA1.length, b.recv(buf.clear()));
    assertEquals(new String(DATA1, StandardCharsets.US_ASCII), ascii(buf));
    assertNull(a.takeError());
  }

  private static String ascii(ByteBuffer b) {
    return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
  }

  // 14 (empty_datagram): an empty datagram is readable, and recvFrom tells it (a sender) from
  // would-block (null).
  @Test
  @Timeout(10)
  default void emptyDatagramIsReadableAndToldApartFromWouldBlock() throws Exception {
    UdpSocket a = udpSocket();
    UdpSocket b = udpSocket();
    registry().register(a, 1, Interest.WRITABLE);
    registry().register(b, 2, Interest.READABLE);
    expectEvents(writable(1));
    assertEquals(0, a.sendTo(ByteBuffer.allocate(0), b.localAddress()));
    expectEvents(readable(2));
    ByteBuffer buf = ByteBuffer.allocate(8);
    assertEquals(a.localAddress(), b.recvFrom(buf), "the empty datagram, with its sender");
    assertEquals(0, buf.position());
    assertNull(b.recvFrom(buf), "then nothing: would block");
    expectNoEvents();
  }

  // No peers.md number (reconnect_udp_socket_sending): connecting again redirects send to the
  // new peer.
  @Test
  @Timeout(10)
  default void reconnectSendsToTheNewPeer() throws Exception {
    UdpSocket s1 = udpSocket();
    UdpSocket s2 = udpSocket();
    UdpSocket s3 = udpSocket();
    s1.connect(s2.localAddress());
    registry().register(s1, 1, BOTH);
    registry().register(s2, 2, Interest.READABLE);
    registry().register(s3, 3, Interest.READABLE);
    expectEvents(writable(1));
    assertEquals(DATA1.length, s1.send(ByteBuffer.wrap(DATA1)));
    List<Expect.Seen> seen = expectEvents(readable(2));
    assertEquals(0, count(seen, 3), "s3 is not the peer: " + seen);
    assertArrayEquals(DATA1, receive(s2));
    s1.connect(s3.localAddress());
    assertEquals(s3.localAddress(), s1.peerAddress());
    assertEquals(DATA2.length, s1.send(ByteBuffer.wrap(DATA2)));
    seen = expectEvents(readable(3));
    assertEquals(0, count(seen, 2), "s2 is no longer the peer: " + seen);
    assertArrayEquals(DATA2, receive(s3));
    assertNull(s2.recvFrom(ByteBuffer.allocate(8)), "s2 got nothing more");
  }

  // 14 (reconnect_udp_socket_receiving, udp_socket_discard): a connected socket receives only from
  // its peer, reconnecting changes that, and disconnect() receives from anyone again.
  @Test
  @Timeout(10)
  default void connectedSocketReceivesOnlyFromItsCurrentPeer() throws Exception {
    UdpSocket s1 = udpSocket();
    UdpSocket s2 = udpSocket();
    UdpSocket s3 = udpSocket();
    s1.connect(s2.localAddress());
    registry().register(s1, 1, Interest.READABLE);
    sendTo(s3, DATA2, s1.localAddress()); // not the peer: dropped
    sendTo(s2, DATA1, s1.localAddress());
    expectEvents(readable(1));
    ByteBuffer buf = ByteBuffer.allocate(64);
    assertEquals(s2.localAddress(), s1.recvFrom(buf));
    assertEquals(DATA1.length, buf.position());
    assertNull(s1.recvFrom(buf.clear()), "s3's datagram was dropped; drained to would-block");
    s1.connect(s3.localAddress());
    sendTo(s2, DATA1, s1.localAddress()); // the old peer: dropped now
    sendTo(s3, DATA2, s1.localAddress());
    expectEvents(readable(1));
    assertEquals(s3.localAddress(), s1.recvFrom(buf.clear()));
    assertEquals(DATA2.length, buf.position());
    assertNull(s1.recvFrom(buf.clear()), "s2's datagram was dropped");
    s1.disconnect();
    sendTo(s2, DATA1, s1.localAddress());
    expectEvents(readable(1));
    assertEquals(s2.localAddress(), s1.recvFrom(buf.clear()), "unconnected: anyone's datagrams");
    assertNull(s1.recvFrom(buf.clear()));
  }

  // 14 (et_behavior_recv, et_behavior_recv_from): after receiving until would-block, the next
  // datagram gives a new event, every time, with recv on a connected socket and recvFrom on an
  // unconnected one.
  @Test
  @Timeout(10)
  default void receivingUntilWouldBlockMakesTheNextDatagramGiveAnEvent() throws Exception {
    UdpSocket sender = udpSocket();
    UdpSocket connected = udpSocket();
    UdpSocket unconnected = udpSocket();
    connected.connect(sender.localAddress());
    registry().register(connected, 1, BOTH);
    registry().register(unconnected, 2, BOTH);
    expectEvents(writable(1), writable(2));
    ByteBuffer buf = ByteBuffer.allocate(64);
    for (int round = 0; round < 3; round++) {
      sendTo(sender, DATA1, connected.localAddress());
      sendTo(sender, DATA2, unconnected.localAddress());
      List<Expect.Seen> seen = expectEvents(readable(1), readable(2));
      assertWithinInterest(seen, 1, BOTH);
      assertWithinInterest(seen, 2, BOTH);
      assertEquals(DATA1.length, connected.recv(buf.clear()), "round " + round);
      assertEquals(0, connected.recv(buf.clear()), "round " + round + ": would block");
      assertEquals(sender.localAddress(), unconnected.recvFrom(buf.clear()), "round " + round);
      assertNull(unconnected.recvFrom(buf.clear()), "round " + round + ": would block");
    }
    expectNoEvents();
  }

  // 5 (udp_socket_no_events_after_deregister): no event after deregister, yet the datagram is
  // there to receive.
  @Test
  @Timeout(10)
  default void deregisteredUdpSocketGivesNoEventButStillReceives() throws Exception {
    UdpSocket s = udpSocket();
    UdpSocket sender = udpSocket();
    registry().register(s, 1, Interest.READABLE);
    registry().deregister(s);
    sendTo(sender, DATA1, s.localAddress());
    expectNoEvents();
    ByteBuffer buf = ByteBuffer.allocate(64);
    long deadline = System.nanoTime() + 5_000_000_000L;
    InetSocketAddress from;
    while ((from = s.recvFrom(buf)) == null) {
      assertTrue(System.nanoTime() < deadline, "the datagram never arrived");
      Thread.onSpinWait();
    }
    assertEquals(sender.localAddress(), from);
    assertEquals(DATA1.length, buf.position());
  }

  // 3 (udp_socket_reregister): registered WRITABLE, a queued datagram reports nothing readable;
  // reregistered READABLE with a new token, it does.
  @Test
  @Timeout(10)
  default void reregisterFromWritableToReadableReportsTheQueuedDatagram() throws Exception {
    UdpSocket s = udpSocket();
    UdpSocket sender = udpSocket();
    registry().register(s, 1, Interest.WRITABLE);
    sendTo(sender, DATA1, s.localAddress());
    List<Expect.Seen> seen = expectEvents(writable(1));
    assertWithinInterest(seen, 1, Interest.WRITABLE);
    registry().reregister(s, 2, Interest.READABLE);
    seen = expectEvents(readable(2));
    assertEquals(0, count(seen, 1), "the old token: " + seen);
    assertWithinInterest(seen, 2, Interest.READABLE);
    assertArrayEquals(DATA1, receive(s));
  }

  // 1, 14 over IPv6 (connected_udp_socket_ipv6, unconnected_udp_socket_ipv6): datagrams over
  // ::1.
  @Test
  @Timeout(10)
  default void ipv6LoopbackDatagramsCarryTheirSender() throws Exception {
    UdpSocket a;
    try {
      a = closeAfter(UdpSocket.bind(LOCALHOST_V6));
    } catch (IOException e) {
      Assumptions.abort("IPv6 loopback ::1 is not available here: " + e);
      throw e;
    }
    UdpSocket b = closeAfter(UdpSocket.bind(LOCALHOST_V6));
    registry().register(b, 2, Interest.READABLE);
    sendTo(a, DATA1, b.localAddress());
    expectEvents(readable(2));
    ByteBuffer buf = ByteBuffer.allocate(64);
    InetSocketAddress from = b.recvFrom(buf);
    assertEquals(a.localAddress(), from);
    assertTrue(from.getAddress() instanceof Inet6Address, "an IPv6 sender: " + from);
    a.connect(b.localAddress());
    b.connect(a.localAddress());
    assertNull(b.recvFrom(buf.clear()));
    assertEquals(DATA2.length, a.send(ByteBuffer.wrap(DATA2)));
    expectEvents(readable(2));
    assertEquals(DATA2.length, b.recv(buf.clear()));
  }

  // 23 (the UDP side of an error event): a connected socket whose peer's port is closed gets
  // the ICMP port-unreachable as an error event; the receive then throws
  // PortUnreachableException, and the error is gone.
  @Test
  @Timeout(10)
  default void portUnreachablePeerGivesAnErrorEventAndAnException() throws Exception {
    assumeTrue(
        caps().reportsPortUnreachable(),
        "no ICMP errors on UDP sockets here: on Windows poll4j turns SIO_UDP_CONNRESET off");
    UdpSocket s = udpSocket();
    InetSocketAddress closed;
    try (UdpSocket gone = UdpSocket.bind(LOCALHOST_V4)) {
      closed = gone.localAddress();
    }
    s.connect(closed);
    registry().register(s, 1, Interest.READABLE);
    expectNoEvents();
    assertEquals(DATA1.length, s.send(ByteBuffer.wrap(DATA1)));
    List<Expect.Seen> seen = expectEvents(event(1, Ops.ERROR));
    assertWithinInterest(seen, 1, Interest.READABLE);
    assertThrows(PortUnreachableException.class, () -> s.recv(ByteBuffer.allocate(8)));
    assertNull(s.takeError(), "the receive took the error");
    assertNull(s.recvFrom(ByteBuffer.allocate(8)), "would block");
  }
}
