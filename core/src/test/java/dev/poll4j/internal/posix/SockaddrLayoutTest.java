package dev.poll4j.internal.posix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.internal.posix.sys.Os;
import dev.poll4j.net.UnixAbstractAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The socket address layouts of every system, encoded and decoded on any host: the BSD family
 * field ({@code u8 sin_len, u8 sin_family}), the family numbers ({@code AF_INET6} is 10 on Linux,
 * 30 on macOS, 28 on FreeBSD, 24 on OpenBSD and NetBSD) and the size of {@code sun_path} (108 on
 * Linux, 104 on the BSDs), from {@code netinet/in.h} and {@code sys/un.h} of each system.
 */
class SockaddrLayoutTest {
  private final ByteBuffer mem = ByteBuffer.allocate(Sockaddr.STORAGE_SIZE).order(ByteOrder.nativeOrder());

  private byte[] encode(Os os, SocketAddress a, int family) {
    Arrays.fill(mem.array(), (byte) 0x5a); // garbage: zeroing must be the encoder's job
    int len = Sockaddr.put(Sockaddr.Layout.of(os), mem, 0, a, family);
    return Arrays.copyOf(mem.array(), len);
  }

  private static int af(Os os, String name) {
    return dev.poll4j.internal.posix.sys.Socket.TABLE.value(name, os);
  }

  @Test
  void sockaddrInCarriesALengthByteOnTheBsds() throws Exception {
    InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 0x1f90);
    byte[] port = {0x1f, (byte) 0x90};
    byte[] rest = {10, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0};
    for (Os os : new Os[] {Os.MACOS, Os.FREEBSD, Os.OPENBSD, Os.NETBSD}) {
      byte[] b = encode(os, a, af(os, "AF_INET"));
      assertEquals(16, b.length, os.name());
      assertEquals(16, b[0], os + ": sin_len");
      assertEquals(2, b[1], os + ": sin_family");
      assertArrayEquals(port, Arrays.copyOfRange(b, 2, 4), os.name());
      assertArrayEquals(rest, Arrays.copyOfRange(b, 4, 16), os.name());
      assertEquals(a, Sockaddr.get(Sockaddr.Layout.of(os), mem, 0, 16), os.name());
    }
    byte[] linux = encode(Os.LINUX, a, 2);
    assertEquals(2, ByteBuffer.wrap(linux).order(ByteOrder.nativeOrder()).getShort(0));
  }

  @Test
  void sockaddrIn6FamilyNumbersDifferPerSystem() throws Exception {
    InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("fe80::1%1"), 443);
    int[][] expected = {{Os.MACOS.ordinal(), 30}, {Os.FREEBSD.ordinal(), 28},
        {Os.OPENBSD.ordinal(), 24}, {Os.NETBSD.ordinal(), 24}};
    for (int[] e : expected) {
      Os os = Os.values()[e[0]];
      byte[] b = encode(os, a, e[1]);
      assertEquals(28, b.length, os.name());
      assertEquals(28, b[0], os + ": sin6_len");
      assertEquals(e[1], b[1], os + ": sin6_family");
      assertEquals(1, ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt(24), "scope id");
      assertEquals(a, Sockaddr.get(Sockaddr.Layout.of(os), mem, 0, 28), os.name());
    }
    // Linux: u16 family 10, no length byte.
    byte[] b = encode(Os.LINUX, a, 10);
    assertEquals(10, ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getShort(0));
    // An IPv4 address for a BSD IPv6 socket becomes IPv4-mapped, and decodes back as IPv4.
    InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80);
    encode(Os.MACOS, v4, 30);
    assertEquals(v4, Sockaddr.get(Sockaddr.Layout.of(Os.MACOS), mem, 0, 28));
  }

  @Test
  void sockaddrUnHasA104BytePathOnTheBsds() {
    UnixDomainSocketAddress a = UnixDomainSocketAddress.of("/tmp/s.sock");
    byte[] b = encode(Os.FREEBSD, a, 1);
    assertEquals(2 + 11 + 1, b.length);
    assertEquals(b.length, b[0], "sun_len");
    assertEquals(1, b[1], "sun_family");
    assertEquals("/tmp/s.sock", new String(b, 2, 11, java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(0, b[13], "terminator");
    assertEquals(a, Sockaddr.get(Sockaddr.Layout.of(Os.FREEBSD), mem, 0, b.length));
    String longest = "/" + "p".repeat(102); // 103 bytes + NUL = sun_path[104]
    assertEquals(2 + 104, encode(Os.MACOS, UnixDomainSocketAddress.of(longest), 1).length);
    IllegalArgumentException tooLong =
        assertThrows(
            IllegalArgumentException.class,
            () -> encode(Os.MACOS, UnixDomainSocketAddress.of(longest + "q"), 1));
    assertTrue(tooLong.getMessage().contains("longer than 103 bytes"), tooLong.getMessage());
    // Linux takes the same path (its sun_path has 108 bytes).
    assertEquals(2 + 105, encode(Os.LINUX, UnixDomainSocketAddress.of(longest + "q"), 1).length);
  }

  @Test
  void abstractNamesExistOnLinuxOnly() {
    UnixAbstractAddress name = UnixAbstractAddress.of("svc");
    UnsupportedOperationException e =
        assertThrows(UnsupportedOperationException.class, () -> encode(Os.MACOS, name, 1));
    assertTrue(e.getMessage().contains("Linux only"), e.getMessage());
    assertEquals(2 + 1 + 3, encode(Os.LINUX, name, 1).length);
  }

  @Test
  void windowsHasAU16FamilyAndAf_Inet6_23() throws Exception {
    Sockaddr.Layout w = Sockaddr.Layout.of(Os.WINDOWS);
    InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 0x1f90);
    byte[] b = encode(Os.WINDOWS, v4, 2);
    assertEquals(16, b.length);
    assertEquals(2, ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getShort(0), "u16 family");
    assertArrayEquals(new byte[] {0x1f, (byte) 0x90, 10, 1, 2, 3}, Arrays.copyOfRange(b, 2, 8));
    assertEquals(v4, Sockaddr.get(w, mem, 0, 16));
    assertEquals(23, Sockaddr.familyOf(w, new InetSocketAddress(InetAddress.getByName("::1"), 1)));
    InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("fe80::1%3"), 443);
    byte[] b6 = encode(Os.WINDOWS, v6, 23);
    assertEquals(28, b6.length);
    ByteBuffer bb = ByteBuffer.wrap(b6).order(ByteOrder.nativeOrder());
    assertEquals(23, bb.getShort(0), "AF_INET6 is 23 on Windows");
    assertEquals(3, bb.getInt(24), "sin6_scope_id");
    assertEquals(v6, Sockaddr.get(w, mem, 0, 28));
    // A Windows family number means nothing to Linux's layout, and the reverse.
    assertThrows(IllegalArgumentException.class, () -> encode(Os.WINDOWS, v6, 10));
    // An IPv4 address on a dual-stack Windows socket becomes IPv4-mapped, and decodes as IPv4.
    encode(Os.WINDOWS, v4, 23);
    assertEquals(v4, Sockaddr.get(w, mem, 0, 28));
  }

  @Test
  void windowsSunPathHas108BytesOfUtf8AndNoAbstractNames() {
    String longest = "C:\\" + "é".repeat(50) + "p".repeat(4); // 3 + 100 + 4 = 107 bytes
    byte[] b = encode(Os.WINDOWS, UnixDomainSocketAddress.of(longest), 1);
    assertEquals(2 + 107 + 1, b.length);
    assertEquals(1, ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getShort(0), "AF_UNIX");
    assertEquals((byte) 0xc3, b[5], "UTF-8, whatever sun.jnu.encoding is");
    assertEquals(
        UnixDomainSocketAddress.of(longest),
        Sockaddr.get(Sockaddr.Layout.of(Os.WINDOWS), mem, 0, b.length));
    IllegalArgumentException tooLong =
        assertThrows(
            IllegalArgumentException.class,
            () -> encode(Os.WINDOWS, UnixDomainSocketAddress.of(longest + "q"), 1));
    assertTrue(tooLong.getMessage().contains("longer than 107 bytes"), tooLong.getMessage());
    assertThrows(
        UnsupportedOperationException.class,
        () -> encode(Os.WINDOWS, UnixAbstractAddress.of("svc"), 1));
  }

  @Test
  void theCurrentLayoutIsThisSystems() throws Exception {
    InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 7);
    Arrays.fill(mem.array(), (byte) 0);
    int len = Sockaddr.put(mem, 0, a, Sockaddr.familyOf(a));
    byte[] viaCurrent = Arrays.copyOf(mem.array(), len);
    assertArrayEquals(encode(Os.current(), a, Sockaddr.familyOf(a)), viaCurrent);
  }
}
