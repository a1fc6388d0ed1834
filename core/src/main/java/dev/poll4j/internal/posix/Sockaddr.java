package dev.poll4j.internal.posix;

import dev.poll4j.internal.posix.sys.Os;
import dev.poll4j.internal.posix.sys.Socket;
import dev.poll4j.net.UnixAbstractAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The one place that knows how socket addresses are laid out in memory: {@code sockaddr_in},
 * {@code sockaddr_in6}, {@code sockaddr_un}, and the membership requests {@code ip_mreq} and
 * {@code ipv6_mreq}. Everything else encodes and decodes addresses through this class.
 *
 * <pre>
 * struct sockaddr_in {            // 16 bytes
 *     sa_family_t sin_family;     // Linux: u16 at 0.  BSD: u8 sin_len at 0, u8 sin_family at 1
 *     in_port_t   sin_port;       // 2, network byte order
 *     struct in_addr sin_addr;    // 4
 *     char        sin_zero[8];    // 8
 * };
 * struct sockaddr_in6 {           // 28 bytes
 *     sa_family_t sin6_family;    // as above
 *     in_port_t   sin6_port;      // 2, network byte order
 *     uint32_t    sin6_flowinfo;  // 4
 *     struct in6_addr sin6_addr;  // 8
 *     uint32_t    sin6_scope_id;  // 24
 * };
 * struct sockaddr_un {            // Linux 110 bytes, BSD 106
 *     sa_family_t sun_family;     // as above
 *     char        sun_path[108];  // 2; BSD: [104]. Linux: a leading 0 marks an abstract name
 * };
 * struct ip_mreq   { struct in_addr imr_multiaddr; struct in_addr imr_interface; };  // 8
 * struct ipv6_mreq { struct in6_addr ipv6mr_multiaddr; unsigned ipv6mr_interface; }; // 20
 * </pre>
 *
 * <p>The layouts differ between operating systems in the family field (BSDs prefix a length
 * byte), the family numbers, the size of {@code sun_path} and the encoding of its path; a {@link
 * Layout} holds one OS's answer: Linux's, the one macOS, FreeBSD, OpenBSD and NetBSD share, or
 * Windows' (no length byte, a {@code u16} family, {@code AF_INET6} 23, {@code sun_path[108]} of
 * {@code afunix.h} holding UTF-8, as the JDK encodes it there), family numbers from {@link
 * Socket}'s table. All methods
 * write into or read from a native-order {@link ByteBuffer} view of native memory at a given
 * offset, and allocate nothing except the addresses they return.
 */
public final class Sockaddr {
  /** Room for any socket address: {@code sizeof(struct sockaddr_storage)}. */
  public static final int STORAGE_SIZE = 128;
  /** {@code sizeof(struct sockaddr_in)}. */
  public static final int SIZEOF_IN = 16;
  /** {@code sizeof(struct sockaddr_in6)}. */
  public static final int SIZEOF_IN6 = 28;
  /** {@code sizeof(struct ip_mreq)}. */
  public static final int SIZEOF_IP_MREQ = 8;
  /** {@code sizeof(struct ipv6_mreq)}. */
  public static final int SIZEOF_IPV6_MREQ = 20;

  /** One operating system's socket address layout. */
  static final class Layout {
    /** True on the BSDs and macOS: a {@code u8} length precedes a {@code u8} family. */
    final boolean hasLen;
    /** {@code AF_INET}, {@code AF_INET6}, {@code AF_UNIX} on this OS. */
    final int afInet;
    final int afInet6;
    final int afUnix;
    /** {@code sizeof(sun_path)}: 108 on Linux, 104 on the BSDs. */
    final int sunPathSize;
    /** Whether the abstract namespace (a leading zero in {@code sun_path}) exists. */
    final boolean abstractNamespace;
    /** How a path is encoded into {@code sun_path}. */
    final Charset pathCharset;

    Layout(
        boolean hasLen,
        int afInet,
        int afInet6,
        int afUnix,
        int sunPathSize,
        boolean abstractNamespace,
        Charset pathCharset) {
      this.hasLen = hasLen;
      this.afInet = afInet;
      this.afInet6 = afInet6;
      this.afUnix = afUnix;
      this.sunPathSize = sunPathSize;
      this.abstractNamespace = abstractNamespace;
      this.pathCharset = pathCharset;
    }

    /**
     * The layout of a system: a pure function, so tests check every system's on any host.
     *
     * @param os the system
     * @return its layout
     */
    static Layout of(Os os) {
      return new Layout(
          os.isBsd(),
          Socket.TABLE.value("AF_INET", os),
          Socket.TABLE.value("AF_INET6", os),
          Socket.TABLE.value("AF_UNIX", os),
          os.isBsd() ? 104 : 108,
          os == Os.LINUX,
          os == Os.WINDOWS ? StandardCharsets.UTF_8 : PATH_CHARSET);
    }
  }

  /** The address of an unnamed Unix socket, as the JDK represents it: an empty path. */
  public static final UnixDomainSocketAddress UNNAMED = UnixDomainSocketAddress.of("");

  /** How file names are encoded for a POSIX kernel, as the JDK does it (before LAYOUT). */
  private static final Charset PATH_CHARSET = pathCharset();
  private static final Layout LAYOUT = Layout.of(Os.current());
  /** Offset of {@code sun_path} (after the family field, on every OS). */
  private static final int SUN_PATH = 2;

  private Sockaddr() {}

  private static Charset pathCharset() {
    try {
      return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
    } catch (RuntimeException e) {
      return Charset.defaultCharset();
    }
  }

  /**
   * The address family of a socket that can reach {@code address}.
   *
   * @param address an {@link InetSocketAddress}, a {@link UnixDomainSocketAddress} or a {@link
   *     UnixAbstractAddress}
   * @return {@code AF_INET}, {@code AF_INET6} or {@code AF_UNIX}
   * @throws UnresolvedAddressException if an {@code InetSocketAddress} is unresolved
   * @throws UnsupportedAddressTypeException for any other type
   */
  public static int familyOf(SocketAddress address) {
    return familyOf(LAYOUT, address);
  }

  /** As {@link #familyOf(SocketAddress)}, in the layout of another system (for tests). */
  static int familyOf(Layout l, SocketAddress address) {
    if (address instanceof InetSocketAddress) {
      InetSocketAddress a = (InetSocketAddress) address;
      if (a.isUnresolved()) {
        throw new UnresolvedAddressException();
      }
      return a.getAddress() instanceof Inet4Address ? l.afInet : l.afInet6;
    }
    if (address instanceof UnixDomainSocketAddress || address instanceof UnixAbstractAddress) {
      return l.afUnix;
    }
    throw new UnsupportedAddressTypeException();
  }

  /**
   * Encodes {@code address} for a socket of {@code socketFamily}. An IPv4 address given to an
   * IPv6 socket becomes IPv4-mapped ({@code ::ffff:a.b.c.d}); an empty {@link
   * UnixDomainSocketAddress} encodes as just the family (Linux binds that to an autogenerated
   * abstract name).
   *
   * @param mem native-order view of native memory
   * @param off where the sockaddr goes; {@link #STORAGE_SIZE} bytes must be available
   * @param address the address
   * @param socketFamily the socket's family, {@code AF_INET}, {@code AF_INET6} or {@code AF_UNIX}
   * @return the sockaddr's length, for the {@code socklen_t} argument
   * @throws IllegalArgumentException if the address does not fit the socket's family, or a path
   *     or name is too long
   * @throws UnresolvedAddressException if an {@code InetSocketAddress} is unresolved
   * @throws UnsupportedAddressTypeException for an address type no socket here supports
   */
  public static int put(ByteBuffer mem, int off, SocketAddress address, int socketFamily) {
    return put(LAYOUT, mem, off, address, socketFamily);
  }

  /** As {@link #put(ByteBuffer, int, SocketAddress, int)}, in the layout of another system (for tests). */
  static int put(Layout l, ByteBuffer mem, int off, SocketAddress address, int socketFamily) {
    if (address instanceof InetSocketAddress) {
      return putInet(l, mem, off, (InetSocketAddress) address, socketFamily);
    }
    if (address instanceof UnixDomainSocketAddress || address instanceof UnixAbstractAddress) {
      if (socketFamily != l.afUnix) {
        throw new IllegalArgumentException(
            "a Unix domain address for an IP socket: " + address);
      }
      return putUnix(l, mem, off, address);
    }
    throw new UnsupportedAddressTypeException();
  }

  private static int putInet(
      Layout l, ByteBuffer mem, int off, InetSocketAddress a, int socketFamily) {
    if (a.isUnresolved()) {
      throw new UnresolvedAddressException();
    }
    InetAddress ia = a.getAddress();
    int port = a.getPort();
    if (socketFamily == l.afInet) {
      if (!(ia instanceof Inet4Address)) {
        throw new IllegalArgumentException("an IPv6 address for an IPv4 socket: " + a);
      }
      zero(mem, off, SIZEOF_IN);
      putFamily(l, mem, off, l.afInet, SIZEOF_IN);
      putPort(mem, off, port);
      byte[] b = ia.getAddress();
      for (int i = 0; i < 4; i++) {
        mem.put(off + 4 + i, b[i]);
      }
      return SIZEOF_IN;
    }
    if (socketFamily != l.afInet6) {
      throw new IllegalArgumentException("an IP address for a Unix domain socket: " + a);
    }
    zero(mem, off, SIZEOF_IN6);
    putFamily(l, mem, off, l.afInet6, SIZEOF_IN6);
    putPort(mem, off, port);
    byte[] b = ia.getAddress();
    if (b.length == 4) { // IPv4-mapped: ::ffff:a.b.c.d
      mem.put(off + 8 + 10, (byte) 0xff);
      mem.put(off + 8 + 11, (byte) 0xff);
      for (int i = 0; i < 4; i++) {
        mem.put(off + 8 + 12 + i, b[i]);
      }
    } else {
      for (int i = 0; i < 16; i++) {
        mem.put(off + 8 + i, b[i]);
      }
      mem.putInt(off + 24, ((Inet6Address) ia).getScopeId());
    }
    return SIZEOF_IN6;
  }

  private static int putUnix(Layout l, ByteBuffer mem, int off, SocketAddress address) {
    byte[] path;
    boolean abstractName = address instanceof UnixAbstractAddress;
    if (abstractName) {
      if (!l.abstractNamespace) {
        throw new UnsupportedOperationException(
            "the abstract namespace of Unix domain sockets exists on Linux only: " + address);
      }
      path = ((UnixAbstractAddress) address).name();
    } else {
      path = ((UnixDomainSocketAddress) address).getPath().toString().getBytes(l.pathCharset);
    }
    // Abstract: a leading 0, then the name, no terminator. Path: the bytes and a terminating 0.
    int max = l.sunPathSize - 1;
    if (path.length > max) {
      throw new IllegalArgumentException(
          "Unix domain socket " + (abstractName ? "name" : "path") + " longer than " + max
              + " bytes: " + address);
    }
    zero(mem, off, SUN_PATH + l.sunPathSize);
    if (path.length == 0) { // unnamed: just the family (Linux autobinds on bind)
      putFamily(l, mem, off, l.afUnix, SUN_PATH);
      return SUN_PATH;
    }
    int start = off + SUN_PATH + (abstractName ? 1 : 0);
    for (int i = 0; i < path.length; i++) {
      mem.put(start + i, path[i]);
    }
    int len = SUN_PATH + path.length + 1;
    putFamily(l, mem, off, l.afUnix, len);
    return len;
  }

  /**
   * Encodes the {@code AF_UNSPEC} address that dissolves a datagram socket's association.
   *
   * @param mem native-order view of native memory
   * @param off where the sockaddr goes
   * @return its length
   */
  public static int putUnspec(ByteBuffer mem, int off) {
    return putUnspec(LAYOUT, mem, off);
  }

  /** As {@link #putUnspec(ByteBuffer, int)}, in the layout of another system (for tests). */
  static int putUnspec(Layout l, ByteBuffer mem, int off) {
    zero(mem, off, SIZEOF_IN);
    putFamily(l, mem, off, Socket.AF_UNSPEC, SIZEOF_IN);
    return SIZEOF_IN;
  }

  /**
   * Decodes a socket address the kernel wrote.
   *
   * @param mem native-order view of native memory
   * @param off where the sockaddr is
   * @param len the length the kernel reported
   * @return an {@link InetSocketAddress} (IPv4-mapped addresses come back as IPv4), a {@link
   *     UnixDomainSocketAddress} ({@link #UNNAMED} for an unnamed socket), a {@link
   *     UnixAbstractAddress}, or null when the kernel reported no address (as it does for a
   *     datagram from an unnamed Unix socket)
   */
  public static SocketAddress get(ByteBuffer mem, int off, int len) {
    return get(LAYOUT, mem, off, len);
  }

  /** As {@link #get(ByteBuffer, int, int)}, in the layout of another system (for tests). */
  static SocketAddress get(Layout l, ByteBuffer mem, int off, int len) {
    if (len < SUN_PATH) {
      return null;
    }
    int family = family(l, mem, off);
    if (family == l.afInet && len >= SIZEOF_IN) {
      byte[] b = new byte[4];
      for (int i = 0; i < 4; i++) {
        b[i] = mem.get(off + 4 + i);
      }
      return new InetSocketAddress(byAddress(b, 0), port(mem, off));
    }
    if (family == l.afInet6 && len >= SIZEOF_IN6) {
      byte[] b = new byte[16];
      for (int i = 0; i < 16; i++) {
        b[i] = mem.get(off + 8 + i);
      }
      return new InetSocketAddress(byAddress(b, mem.getInt(off + 24)), port(mem, off));
    }
    if (family == l.afUnix) {
      int n = Math.min(len, SUN_PATH + l.sunPathSize) - SUN_PATH;
      if (n == 0) {
        return UNNAMED;
      }
      if (l.abstractNamespace && mem.get(off + SUN_PATH) == 0) {
        byte[] name = new byte[n - 1];
        for (int i = 0; i < name.length; i++) {
          name[i] = mem.get(off + SUN_PATH + 1 + i);
        }
        return name.length == 0 ? UNNAMED : UnixAbstractAddress.of(name);
      }
      int end = 0;
      while (end < n && mem.get(off + SUN_PATH + end) != 0) {
        end++;
      }
      byte[] path = new byte[end];
      for (int i = 0; i < end; i++) {
        path[i] = mem.get(off + SUN_PATH + i);
      }
      return UnixDomainSocketAddress.of(new String(path, l.pathCharset));
    }
    return null;
  }

  private static InetAddress byAddress(byte[] b, int scopeId) {
    try {
      // getByAddress turns an IPv4-mapped IPv6 address into an Inet4Address.
      if (b.length == 16 && scopeId != 0) {
        return Inet6Address.getByAddress(null, b, scopeId);
      }
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always an address", e);
    }
  }

  /**
   * Encodes a {@code struct ip_mreq}.
   *
   * @param mem native-order view of native memory
   * @param off where the request goes
   * @param group the IPv4 multicast group
   * @param interfaceAddress the IPv4 address of the interface, or null for the default
   * @return its length
   */
  public static int putIpMreq(
      ByteBuffer mem, int off, Inet4Address group, Inet4Address interfaceAddress) {
    zero(mem, off, SIZEOF_IP_MREQ);
    putInAddr(mem, off, group);
    if (interfaceAddress != null) {
      putInAddr(mem, off + 4, interfaceAddress);
    }
    return SIZEOF_IP_MREQ;
  }

  /**
   * Encodes a {@code struct in_addr} (4 bytes, network byte order).
   *
   * @param mem native-order view of native memory
   * @param off where it goes
   * @param address the IPv4 address
   */
  public static void putInAddr(ByteBuffer mem, int off, Inet4Address address) {
    byte[] b = address.getAddress();
    for (int i = 0; i < 4; i++) {
      mem.put(off + i, b[i]);
    }
  }

  /**
   * Decodes a {@code struct in_addr}.
   *
   * @param mem native-order view of native memory
   * @param off where it is
   * @return the address
   */
  public static InetAddress getInAddr(ByteBuffer mem, int off) {
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      b[i] = mem.get(off + i);
    }
    return byAddress(b, 0);
  }

  /**
   * Encodes a {@code struct ipv6_mreq}.
   *
   * @param mem native-order view of native memory
   * @param off where the request goes
   * @param group the IPv6 multicast group
   * @param interfaceIndex the interface index, or 0 for the default
   * @return its length
   */
  public static int putIpv6Mreq(ByteBuffer mem, int off, Inet6Address group, int interfaceIndex) {
    byte[] b = group.getAddress();
    for (int i = 0; i < 16; i++) {
      mem.put(off + i, b[i]);
    }
    mem.putInt(off + 16, interfaceIndex);
    return SIZEOF_IPV6_MREQ;
  }

  private static void putFamily(Layout l, ByteBuffer mem, int off, int family, int len) {
    if (l.hasLen) {
      mem.put(off, (byte) len);
      mem.put(off + 1, (byte) family);
    } else {
      mem.putShort(off, (short) family);
    }
  }

  private static int family(Layout l, ByteBuffer mem, int off) {
    return l.hasLen ? mem.get(off + 1) & 0xff : mem.getShort(off) & 0xffff;
  }

  private static void putPort(ByteBuffer mem, int off, int port) {
    mem.put(off + 2, (byte) (port >>> 8));
    mem.put(off + 3, (byte) port);
  }

  private static int port(ByteBuffer mem, int off) {
    return (mem.get(off + 2) & 0xff) << 8 | (mem.get(off + 3) & 0xff);
  }

  private static void zero(ByteBuffer mem, int off, int len) {
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      mem.putLong(off + i, 0L);
    }
    for (; i < len; i++) {
      mem.put(off + i, (byte) 0);
    }
  }
}
