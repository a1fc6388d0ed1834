package dev.poll4j.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.poll4j.internal.posix.Sockaddr;
import dev.poll4j.internal.posix.SocketScratch;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The Linux socket address layouts, byte for byte ({@code netinet/in.h}, {@code sys/un.h}). */
@EnabledOnOs(value = OS.LINUX, disabledReason = "checks the Linux socket address layouts byte for byte")
class SockaddrTest {
  static final int AF_UNIX = 1;
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int OFF = 16; // encode at a non-zero offset, to catch absolute/relative mix-ups

  final ByteBuffer mem = ByteBuffer.allocateDirect(256).order(ByteOrder.nativeOrder());

  byte[] bytes(int len) {
    byte[] b = new byte[len];
    mem.get(OFF, b);
    return b;
  }

  @Test
  void sockaddrInIsFamilyPortAddressZero() throws Exception {
    InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 0x1234);
    assertEquals(16, Sockaddr.put(mem, OFF, a, AF_INET));
    byte[] expected = {2, 0, 0x12, 0x34, 10, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0};
    if (ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN) {
      expected[0] = 0;
      expected[1] = 2;
    }
    assertArrayEquals(expected, bytes(16));
    assertEquals(a, Sockaddr.get(mem, OFF, 16));
  }

  @Test
  void sockaddrIn6CarriesFlowScopeAndMapsIpv4() throws Exception {
    byte[] v6 = InetAddress.getByName("fe80::1").getAddress();
    InetSocketAddress a = new InetSocketAddress(Inet6Address.getByAddress(null, v6, 3), 443);
    assertEquals(28, Sockaddr.put(mem, OFF, a, AF_INET6));
    byte[] b = bytes(28);
    assertEquals(AF_INET6, mem.getShort(OFF));
    assertEquals(1, b[2]);
    assertEquals((byte) 0xbb, b[3]);
    assertEquals(0, mem.getInt(OFF + 4), "flowinfo");
    assertArrayEquals(v6, Arrays.copyOfRange(b, 8, 24));
    assertEquals(3, mem.getInt(OFF + 24), "scope id");
    InetSocketAddress back = (InetSocketAddress) Sockaddr.get(mem, OFF, 28);
    assertEquals(443, back.getPort());
    assertEquals(3, ((Inet6Address) back.getAddress()).getScopeId());

    InetSocketAddress v4 = new InetSocketAddress("127.0.0.1", 80);
    assertEquals(28, Sockaddr.put(mem, OFF, v4, AF_INET6));
    byte[] mapped = Arrays.copyOfRange(bytes(28), 8, 24);
    assertArrayEquals(
        new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1},
        mapped);
    SocketAddress decoded = Sockaddr.get(mem, OFF, 28);
    assertEquals(v4, decoded);
    assertInstanceOf(Inet4Address.class, ((InetSocketAddress) decoded).getAddress());
  }

  @Test
  void sockaddrUnHoldsAPathOrAnAbstractName() {
    UnixDomainSocketAddress path = UnixDomainSocketAddress.of("/tmp/x.sock");
    int len = Sockaddr.put(mem, OFF, path, AF_UNIX);
    assertEquals(2 + 11 + 1, len, "family, path, terminating zero");
    assertEquals(AF_UNIX, mem.getShort(OFF));
    assertEquals('/', mem.get(OFF + 2));
    assertEquals(0, mem.get(OFF + 2 + 11));
    assertEquals(path, Sockaddr.get(mem, OFF, len));

    UnixAbstractAddress name = UnixAbstractAddress.of("svc");
    len = Sockaddr.put(mem, OFF, name, AF_UNIX);
    assertEquals(2 + 1 + 3, len, "family, zero marker, name, no terminator");
    assertEquals(0, mem.get(OFF + 2));
    assertEquals('s', mem.get(OFF + 3));
    assertEquals(name, Sockaddr.get(mem, OFF, len));

    assertEquals(2, Sockaddr.put(mem, OFF, Sockaddr.UNNAMED, AF_UNIX), "unnamed: family only");
    assertSame(Sockaddr.UNNAMED, Sockaddr.get(mem, OFF, 2));
    assertNull(Sockaddr.get(mem, OFF, 0), "no address at all");
  }

  @Test
  void limitsAndMismatchesAreRefused() throws Exception {
    assertEquals(2 + 107 + 1,
        Sockaddr.put(mem, OFF, UnixDomainSocketAddress.of("p".repeat(107)), AF_UNIX));
    assertThrows(IllegalArgumentException.class,
        () -> Sockaddr.put(mem, OFF, UnixDomainSocketAddress.of("p".repeat(108)), AF_UNIX));
    assertThrows(IllegalArgumentException.class,
        () -> Sockaddr.put(mem, OFF, new InetSocketAddress("::1", 1), AF_INET));
    assertThrows(IllegalArgumentException.class,
        () -> Sockaddr.put(mem, OFF, new InetSocketAddress("127.0.0.1", 1), AF_UNIX));
    assertThrows(IllegalArgumentException.class,
        () -> Sockaddr.put(mem, OFF, UnixAbstractAddress.of("x"), AF_INET));
    assertThrows(UnresolvedAddressException.class,
        () -> Sockaddr.put(mem, OFF, InetSocketAddress.createUnresolved("h", 1), AF_INET));
    assertThrows(UnsupportedAddressTypeException.class,
        () -> Sockaddr.put(mem, OFF, new SocketAddress() {
          private static final long serialVersionUID = 1L;
        }, AF_INET));
    assertEquals(AF_INET, Sockaddr.familyOf(new InetSocketAddress("127.0.0.1", 1)));
    assertEquals(AF_INET6, Sockaddr.familyOf(new InetSocketAddress("::1", 1)));
    assertEquals(AF_UNIX, Sockaddr.familyOf(UnixAbstractAddress.of("x")));
  }

  @Test
  void membershipRequests() throws Exception {
    assertEquals(8, Sockaddr.putIpMreq(mem, OFF, (Inet4Address) InetAddress.getByName(
        "239.1.2.3"), (Inet4Address) InetAddress.getByName("127.0.0.1")));
    assertArrayEquals(new byte[] {(byte) 239, 1, 2, 3, 127, 0, 0, 1}, bytes(8));
    assertEquals(8, Sockaddr.putIpMreq(mem, OFF, (Inet4Address) InetAddress.getByName(
        "239.1.2.3"), null));
    assertArrayEquals(new byte[] {(byte) 239, 1, 2, 3, 0, 0, 0, 0}, bytes(8), "INADDR_ANY");
    Inet6Address g = (Inet6Address) InetAddress.getByName("ff02::1");
    assertEquals(20, Sockaddr.putIpv6Mreq(mem, OFF, g, 7));
    assertArrayEquals(g.getAddress(), Arrays.copyOf(bytes(20), 16));
    assertEquals(7, mem.getInt(OFF + 16));
  }

  @Test
  void theScratchCachesTheLastDestinationAndSource() throws Exception {
    SocketScratch x = SocketScratch.get();
    InetSocketAddress a = new InetSocketAddress("127.0.0.1", 7);
    assertEquals(16, x.putTarget(a, AF_INET));
    assertEquals(28, x.putTarget(a, AF_INET6), "same address, other family: encoded again");
    assertEquals(AF_INET6, x.mem.getShort(SocketScratch.ADDR_OUT));
    // A source decoded twice from the same bytes is the same object; other bytes, another one.
    Sockaddr.put(x.mem, SocketScratch.ADDR_IN, a, AF_INET);
    SocketAddress first = x.getSource(16);
    assertSame(first, x.getSource(16));
    Sockaddr.put(x.mem, SocketScratch.ADDR_IN, new InetSocketAddress("127.0.0.1", 8), AF_INET);
    SocketAddress other = x.getSource(16);
    assertNotEquals(first, other);
    assertEquals(8, ((InetSocketAddress) other).getPort());
    // Direct buffer addresses honour the position, cached or not.
    ByteBuffer b = ByteBuffer.allocateDirect(32);
    long base = x.directAddress(b);
    b.position(5);
    assertEquals(base + 5, x.directAddress(b));
    ByteBuffer slice = b.slice(4, 8); // its own base: 4 bytes in
    assertEquals(base + 4 + 3, x.directAddress(slice.position(3)));
  }
}
