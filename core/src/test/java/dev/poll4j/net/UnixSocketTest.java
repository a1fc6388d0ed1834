package dev.poll4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.poll4j.Interest;
import dev.poll4j.spi.Ops;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import dev.poll4j.internal.posix.sys.Os;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(
    value = OS.WINDOWS,
    disabledReason =
        "polls with core's poll(2) backend, which does not exist on Windows; there the"
            + " conformance suite runs the sockets on IOCP")
@Timeout(30)
class UnixSocketTest extends SocketTestSupport {
  private static final boolean LINUX = Os.current() == Os.LINUX;

  static final UnixDomainSocketAddress UNNAMED = UnixDomainSocketAddress.of("");

  @TempDir Path dir;
  static UnixAbstractAddress uniqueAbstractName() {
    return UnixAbstractAddress.of("poll4j-test-" + ProcessHandle.current().pid() + "-"
        + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE));
  }

  UnixStream acceptOne(UnixListener l, long token) throws IOException {
    UnixStream s = l.accept();
    if (s == null) {
      p.await(token, Ops.READABLE);
      s = l.accept();
    }
    assertNotNull(s, "readable, yet nothing to accept");
    return track(s);
  }

  @Test
  void listenerAndStreamOnAPath() throws IOException {
    Path path = dir.resolve("s.sock");
    UnixListener l = track(UnixListener.bind(path));
    assertTrue(Files.exists(path), "bind creates the socket file");
    assertEquals(UnixDomainSocketAddress.of(path), l.localAddress());
    assertNull(l.accept());
    p.poll.registry().register(l, 1, Interest.READABLE);
    p.quiet(1);
    UnixStream c1 = track(UnixStream.connect(path));
    UnixStream c2 = track(UnixStream.connect(UnixDomainSocketAddress.of(path)));
    assertTrue(c1.finishConnect());
    p.await(1, Ops.READABLE);
    UnixStream s1 = track(l.accept());
    UnixStream s2 = track(l.accept());
    assertNotNull(s1);
    assertNotNull(s2);
    assertNull(l.accept(), "accepted until null");
    assertEquals(UNNAMED, s1.peerAddress(), "a connecting client is unnamed");
    assertEquals(UnixDomainSocketAddress.of(path), c2.peerAddress());
    assertEquals(UNNAMED, c2.localAddress());

    p.poll.registry().register(s1, 2, Interest.READABLE);
    assertEquals(5, c1.write(ByteBuffer.wrap("hello".getBytes())));
    p.await(2, Ops.READABLE);
    ByteBuffer dst = ByteBuffer.allocate(16);
    assertEquals(5, s1.read(dst));
    assertEquals("hello", new String(dst.array(), 0, 5));
    assertEquals(0, s1.read(dst.clear()), "would block");
    c1.close();
    p.await(2, Ops.READ_CLOSED);
    assertEquals(-1, s1.read(dst.clear()));
    l.close();
    assertTrue(Files.exists(path), "close leaves the socket file");
  }

  @Test
  void bindingAnExistingPathThrowsBindException() throws IOException {
    Path path = dir.resolve("taken.sock");
    track(UnixListener.bind(path));
    assertThrows(BindException.class, () -> UnixListener.bind(path));
    assertThrows(BindException.class, () -> UnixDatagram.bind(path));
  }

  @Test
  void connectingToNothingFails() throws IOException {
    IOException missing =
        assertThrows(IOException.class, () -> UnixStream.connect(dir.resolve("missing.sock")));
    assertTrue(missing.getMessage().contains("ENOENT"), missing.getMessage());
    Path stale = dir.resolve("stale.sock");
    UnixListener.bind(stale).close(); // the file stays, nobody listens
    assertThrows(ConnectException.class, () -> UnixStream.connect(stale));
    if (LINUX) {
      assertThrows(ConnectException.class, () -> UnixStream.connect(uniqueAbstractName()));
    }
  }

  @Test
  void tooLongPathIsRefused() {
    Path longPath = dir.resolve("x".repeat(120));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> UnixListener.bind(longPath));
    assertTrue(e.getMessage().contains("longer than 107"), e.getMessage());
  }

  @Test
  void wrongAddressTypeIsRefused() {
    assertThrows(UnsupportedAddressTypeException.class,
        () -> UnixStream.connect(new InetSocketAddress("127.0.0.1", 1)));
    assertThrows(UnsupportedAddressTypeException.class,
        () -> UnixListener.bind(new InetSocketAddress("127.0.0.1", 0)));
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, disabledReason = "the abstract namespace is Linux's")
  void abstractNamespaceListenerAndStream() throws IOException {
    UnixAbstractAddress name = uniqueAbstractName();
    UnixListener l = track(UnixListener.bind(name));
    assertEquals(name, l.localAddress());
    UnixStream c = track(UnixStream.connect(name));
    assertEquals(name, c.peerAddress());
    p.poll.registry().register(l, 3, Interest.READABLE);
    UnixStream s = acceptOne(l, 3);
    assertEquals(name, s.localAddress());
    assertEquals(3, s.write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
    p.poll.registry().register(c, 4, Interest.READABLE);
    p.await(4, Ops.READABLE);
    assertEquals(3, c.read(ByteBuffer.allocateDirect(8)));
    l.close();
    // The name is free again once the listener is closed.
    track(UnixListener.bind(name));
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, disabledReason = "the abstract namespace is Linux's")
  void autobindGivesAnAbstractName() throws IOException {
    UnixListener l = track(UnixListener.bind(UNNAMED));
    SocketAddress a = l.localAddress();
    assertInstanceOf(UnixAbstractAddress.class, a, "Linux autobinds to an abstract name");
    track(UnixStream.connect(a));
  }

  @Test
  void pairTransfersBothWaysAndHalfCloses() throws IOException {
    UnixStream[] pair = UnixStream.pair();
    track(pair[0]);
    track(pair[1]);
    assertEquals(UNNAMED, pair[0].localAddress());
    assertEquals(UNNAMED, pair[0].peerAddress());
    assertTrue(pair[0].finishConnect());
    p.poll.registry().register(pair[1], 5, Interest.READABLE);
    p.quiet(5);
    ByteBuffer[] srcs = {
      ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.allocateDirect(1).put((byte) 3).flip()
    };
    assertEquals(3, pair[0].write(srcs));
    p.await(5, Ops.READABLE);
    ByteBuffer peek = ByteBuffer.allocate(8);
    assertEquals(3, pair[1].peek(peek));
    ByteBuffer a = ByteBuffer.allocateDirect(1);
    ByteBuffer b = ByteBuffer.allocate(8);
    assertEquals(3, pair[1].read(new ByteBuffer[] {a, b}));
    assertEquals(1, a.get(0));
    assertEquals(3, b.get(1));
    assertEquals(0, pair[1].read(b.clear()));
    pair[0].shutdownOutput();
    p.await(5, Ops.READ_CLOSED);
    assertEquals(-1, pair[1].read(b.clear()));
    // The other direction still works.
    assertEquals(1, pair[1].write(ByteBuffer.wrap(new byte[] {4})));
    p.poll.registry().register(pair[0], 6, Interest.READABLE);
    p.await(6, Ops.READABLE);
    assertEquals(1, pair[0].read(b.clear()));
  }

  @Test
  void fullPairBecomesWritableAfterThePeerDrains() throws IOException {
    UnixStream[] pair = UnixStream.pair();
    track(pair[0]);
    track(pair[1]);
    p.poll.registry().register(pair[0], 7, Interest.WRITABLE);
    p.await(7, Ops.WRITABLE);
    ByteBuffer src = ByteBuffer.allocate(64 * 1024);
    long written = 0;
    int n;
    while ((n = pair[0].write(src.clear())) > 0) {
      written += n;
    }
    p.quiet(7);
    ByteBuffer dst = ByteBuffer.allocate(64 * 1024);
    long read = 0;
    while (read < written) {
      int r = pair[1].read(dst.clear());
      assertTrue(r > 0, "buffered data is readable at once");
      read += r;
    }
    p.await(7, Ops.WRITABLE);
  }

  @Test
  void peerCloseOfAPairMakesWritesFailWithoutSigpipe() throws IOException {
    UnixStream[] pair = UnixStream.pair();
    track(pair[0]);
    pair[1].close();
    IOException e =
        assertThrows(IOException.class, () -> pair[0].write(ByteBuffer.wrap(new byte[] {1})));
    assertTrue(e.getMessage().contains("EPIPE"), e.getMessage());
  }

  @Test
  void datagramsOnPathsWithSenderAddresses() throws IOException {
    Path pa = dir.resolve("a.sock");
    Path pb = dir.resolve("b.sock");
    UnixDatagram a = track(UnixDatagram.bind(pa));
    UnixDatagram b = track(UnixDatagram.bind(UnixDomainSocketAddress.of(pb)));
    p.poll.registry().register(b, 8, Interest.READABLE);
    p.quiet(8);
    assertNull(b.recvFrom(ByteBuffer.allocate(8)), "would block");
    assertEquals(2, a.sendTo(ByteBuffer.wrap(new byte[] {1, 2}), UnixDomainSocketAddress.of(pb)));
    p.await(8, Ops.READABLE);
    ByteBuffer dst = ByteBuffer.allocate(8);
    assertEquals(UnixDomainSocketAddress.of(pa), b.peekFrom(dst));
    assertEquals(UnixDomainSocketAddress.of(pa), b.recvFrom(dst.clear()));
    assertEquals(2, dst.position());
    assertNull(b.recvFrom(dst.clear()), "drained to would-block: the next datagram re-arms");
    // An unbound sender is unnamed (mio #1403).
    UnixDatagram anon = track(UnixDatagram.unbound());
    anon.sendTo(ByteBuffer.wrap(new byte[] {3}), b.localAddress());
    p.await(8, Ops.READABLE);
    assertEquals(UNNAMED, b.recvFrom(dst.clear()));
    assertNull(b.recvFrom(dst.clear()));
    // Connected.
    a.connect(b.localAddress());
    assertEquals(UnixDomainSocketAddress.of(pb), a.peerAddress());
    assertEquals(1, a.send(ByteBuffer.wrap(new byte[] {9})));
    p.await(8, Ops.READABLE);
    assertEquals(1, b.recv(dst.clear()));
    assertEquals(9, dst.get(0));
  }

  @Test
  void emptyDatagramsAndPairs() throws IOException {
    UnixDatagram[] pair = UnixDatagram.pair();
    track(pair[0]);
    track(pair[1]);
    p.poll.registry().register(pair[1], 9, Interest.READABLE);
    assertEquals(0, pair[0].send(ByteBuffer.allocate(0)));
    p.await(9, Ops.READABLE);
    ByteBuffer dst = ByteBuffer.allocate(4);
    assertEquals(UNNAMED, pair[1].recvFrom(dst), "an empty datagram has a (unnamed) sender");
    assertEquals(0, dst.position());
    assertNull(pair[1].recvFrom(dst), "then nothing (and re-armed)");
    assertEquals(3, pair[0].send(ByteBuffer.wrap(new byte[] {1, 2, 3})));
    p.await(9, Ops.READABLE);
    assertEquals(3, pair[1].peek(dst));
    assertEquals(3, pair[1].recv(dst.clear()));
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, disabledReason = "the abstract namespace is Linux's")
  void abstractDatagram() throws IOException {
    UnixAbstractAddress name = uniqueAbstractName();
    UnixDatagram r = track(UnixDatagram.bind(name));
    assertEquals(name, r.localAddress());
    UnixDatagram s = track(UnixDatagram.bind(UNNAMED)); // autobind: peers can answer
    assertInstanceOf(UnixAbstractAddress.class, s.localAddress());
    s.sendTo(ByteBuffer.wrap(new byte[] {5}), name);
    p.poll.registry().register(r, 10, Interest.READABLE);
    p.await(10, Ops.READABLE);
    ByteBuffer dst = ByteBuffer.allocate(4);
    SocketAddress from = r.recvFrom(dst);
    assertEquals(s.localAddress(), from);
    r.sendTo(ByteBuffer.wrap(new byte[] {6}), from);
    p.poll.registry().register(s, 11, Interest.READABLE);
    p.await(11, Ops.READABLE);
    assertEquals(name, s.recvFrom(dst.clear()));
  }

  @Test
  void fullDatagramQueueBlocksThenBecomesWritable() throws IOException {
    UnixDatagram[] pair = UnixDatagram.pair();
    track(pair[0]);
    track(pair[1]);
    p.poll.registry().register(pair[0], 12, Interest.WRITABLE);
    p.await(12, Ops.WRITABLE);
    ByteBuffer src = ByteBuffer.allocateDirect(1000);
    int sent = 0;
    long deadline = System.nanoTime() + Polling.DEADLINE.toNanos();
    while (pair[0].send(src.clear()) > 0) {
      sent++;
      if (System.nanoTime() > deadline) {
        fail("the receive queue never filled");
      }
    }
    assertTrue(sent > 0);
    assertEquals(0, src.position(), "a datagram that would block is not consumed");
    p.quiet(12);
    ByteBuffer dst = ByteBuffer.allocate(1000);
    for (int i = 0; i < sent; i++) {
      assertEquals(1000, pair[1].recv(dst.clear()));
    }
    p.await(12, Ops.WRITABLE);
    assertEquals(1000, pair[0].send(src.clear()));
  }

  @Test
  void deregisteredUnixSocketsYieldNoEvents() throws IOException {
    UnixStream[] pair = UnixStream.pair();
    track(pair[0]);
    track(pair[1]);
    p.poll.registry().register(pair[1], 13, Interest.READABLE);
    p.poll.registry().deregister(pair[1]);
    pair[0].write(ByteBuffer.wrap(new byte[] {1}));
    pair[0].close();
    p.quiet(13);
    assertEquals(1, pair[1].read(ByteBuffer.allocate(4)));
  }

  @Test
  void optionsRoundTripAndClosedSockets() throws IOException {
    UnixDatagram d = UnixDatagram.unbound();
    d.setOption(StandardSocketOptions.SO_SNDBUF, 80_000);
    assertTrue(d.getOption(StandardSocketOptions.SO_SNDBUF) >= 80_000);
    d.setOption(StandardSocketOptions.SO_RCVBUF, 80_000);
    assertTrue(d.getOption(StandardSocketOptions.SO_RCVBUF) >= 80_000);
    assertThrows(UnsupportedOperationException.class,
        () -> d.setOption(StandardSocketOptions.SO_BROADCAST, true));
    d.close();
    assertFalse(d.isOpen());
    assertThrows(ClosedChannelException.class, () -> d.send(ByteBuffer.allocate(1)));
    UnixStream[] pair = UnixStream.pair();
    pair[0].setOption(StandardSocketOptions.SO_SNDBUF, 90_000);
    assertTrue(pair[0].getOption(StandardSocketOptions.SO_SNDBUF) >= 90_000);
    UnixListener l =
        LINUX
            ? UnixListener.bind(uniqueAbstractName())
            : UnixListener.bind(dir.resolve("options.sock"));
    l.setOption(StandardSocketOptions.SO_RCVBUF, 90_000);
    assertTrue(l.getOption(StandardSocketOptions.SO_RCVBUF) >= 90_000);
    for (AutoCloseable c : new AutoCloseable[] {pair[0], pair[1], l}) {
      try {
        c.close();
      } catch (Exception e) {
        fail(e);
      }
    }
    assertThrows(ClosedChannelException.class, () -> pair[0].read(ByteBuffer.allocate(1)));
    assertThrows(ClosedChannelException.class, l::accept);
  }
}
