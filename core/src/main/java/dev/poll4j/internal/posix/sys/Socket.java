package dev.poll4j.internal.posix.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * sys/socket.h: socket creation, addresses, options, and the data calls {@code recv}, {@code
 * send}, {@code recvfrom}, {@code sendto}, {@code recvmsg}, {@code sendmsg}.
 *
 * <p>JNA direct mapping with primitive and address arguments only; errors are read with {@link
 * Errno#errno()} right after a {@code -1}. The data calls are reached through {@link IoCalls},
 * which may bind them through FFM instead. Socket addresses are built
 * by {@code dev.poll4j.internal.posix.Sockaddr}; {@code struct msghdr} and {@code struct iovec}
 * are laid out here:
 *
 * <pre>
 * struct iovec {                  // Linux, P = sizeof(void *)
 *     void   *iov_base;           // offset 0
 *     size_t  iov_len;            // offset P
 * };                              // 2P bytes
 *
 * struct msghdr {                 // Linux (glibc, musl)     macOS and the BSDs (LP64)
 *     void         *msg_name;     // 0                       0
 *     socklen_t     msg_namelen;  // P                       8
 *     struct iovec *msg_iov;      // 2P                      16
 *     size_t        msg_iovlen;   // 3P (size_t)             24 (int)
 *     void         *msg_control;  // 4P                      32
 *     size_t        msg_controllen; // 5P (size_t)           40 (socklen_t)
 *     int           msg_flags;    // 6P                      44
 * };                              // 7P bytes                48 bytes
 * </pre>
 *
 * <p>The constants come from {@link #TABLE}, one column per {@link Os}; the Windows column holds
 * Winsock's values ({@code winsock2.h}, {@code ws2def.h}), so that the socket code reads its
 * constants from here on every system. On Windows the functions of this class are not bound
 * (Winsock has its own entry points: {@code dev.poll4j.internal.windows.sys.Winsock2}); only the
 * constants are used. The Linux column holds
 * the generic values (x86-64, aarch64, arm, riscv, ppc, s390); MIPS and SPARC number {@code
 * SOL_SOCKET} and the {@code SO_*} options differently and are refused. macOS has no {@code
 * accept4} and no {@code SOCK_NONBLOCK}/{@code SOCK_CLOEXEC}: {@link Accept4} is bound only where
 * it exists, and callers set the flags with {@code fcntl} where {@link #HAS_SOCK_FLAGS} is false.
 */
public final class Socket {
  /**
   * The constants of {@code sys/socket.h}: name, Linux, macOS, FreeBSD, OpenBSD, NetBSD, Windows
   * ({@code SHUT_*} there are {@code SD_RECEIVE}, {@code SD_SEND}, {@code SD_BOTH}).
   */
  public static final OsConstants TABLE =
      new OsConstants(
          "sys/socket.h",
          "AF_UNSPEC", 0, 0, 0, 0, 0, 0,
          "AF_UNIX", 1, 1, 1, 1, 1, 1,
          "AF_INET", 2, 2, 2, 2, 2, 2,
          "AF_INET6", 10, 30, 28, 24, 24, 23,
          "SOCK_STREAM", 1, 1, 1, 1, 1, 1,
          "SOCK_DGRAM", 2, 2, 2, 2, 2, 2,
          "SOCK_NONBLOCK", 0x800, OsConstants.NONE, 0x20000000, 0x4000, 0x20000000,
              OsConstants.NONE,
          "SOCK_CLOEXEC", 0x80000, OsConstants.NONE, 0x10000000, 0x8000, 0x10000000,
              OsConstants.NONE,
          "SOL_SOCKET", 0x1, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff,
          "SO_REUSEADDR", 2, 4, 4, 4, 4, 4,
          "SO_TYPE", 0x3, 0x1008, 0x1008, 0x1008, 0x1008, 0x1008,
          "SO_ERROR", 0x4, 0x1007, 0x1007, 0x1007, 0x1007, 0x1007,
          "SO_BROADCAST", 6, 32, 32, 32, 32, 32,
          "SO_SNDBUF", 0x7, 0x1001, 0x1001, 0x1001, 0x1001, 0x1001,
          "SO_RCVBUF", 0x8, 0x1002, 0x1002, 0x1002, 0x1002, 0x1002,
          "SO_KEEPALIVE", 9, 8, 8, 8, 8, 8,
          "SO_OOBINLINE", 0xa, 0x100, 0x100, 0x100, 0x100, 0x100,
          "SO_LINGER", 13, 128, 128, 128, 128, 128,
          "SO_REUSEPORT", 0xf, 0x200, 0x200, 0x200, 0x200, OsConstants.NONE,
          "SO_LINGER_SEC", OsConstants.NONE, 0x1080, OsConstants.NONE, OsConstants.NONE,
              OsConstants.NONE, OsConstants.NONE,
          "SO_NOSIGPIPE", OsConstants.NONE, 0x1022, 0x800, OsConstants.NONE, 0x800,
              OsConstants.NONE,
          "MSG_OOB", 1, 1, 1, 1, 1, 1,
          "MSG_PEEK", 2, 2, 2, 2, 2, 2,
          "MSG_TRUNC", 32, 16, 16, 16, 16, 0x100,
          "MSG_DONTWAIT", 64, 128, 128, 128, 128, OsConstants.NONE,
          "MSG_NOSIGNAL", 0x4000, 0x80000, 0x20000, 0x400, 0x400, OsConstants.NONE,
          "SHUT_RD", 0, 0, 0, 0, 0, 0,
          "SHUT_WR", 1, 1, 1, 1, 1, 1,
          "SHUT_RDWR", 2, 2, 2, 2, 2, 2,
          "IOV_MAX", 0x400, 0x400, 0x400, 0x400, 0x400, OsConstants.NONE);

  /** {@code AF_UNSPEC}: unspecified; {@code connect} with it dissolves a datagram association. */
  public static final int AF_UNSPEC = TABLE.value("AF_UNSPEC");
  /** {@code AF_UNIX}: Unix domain sockets. */
  public static final int AF_UNIX = TABLE.value("AF_UNIX");
  /** {@code AF_INET}: IPv4. */
  public static final int AF_INET = TABLE.value("AF_INET");
  /** {@code AF_INET6}: IPv6. */
  public static final int AF_INET6 = TABLE.value("AF_INET6");

  /** {@code SOCK_STREAM}. */
  public static final int SOCK_STREAM = TABLE.value("SOCK_STREAM");
  /** {@code SOCK_DGRAM}. */
  public static final int SOCK_DGRAM = TABLE.value("SOCK_DGRAM");
  /**
   * Whether {@code socket}, {@code socketpair} and {@code accept4} take {@link #SOCK_NONBLOCK}
   * and {@link #SOCK_CLOEXEC}: everywhere but macOS, where {@code fcntl} sets both afterwards.
   */
  public static final boolean HAS_SOCK_FLAGS = TABLE.value("SOCK_NONBLOCK") != OsConstants.NONE;
  /** {@code SOCK_NONBLOCK}: the new descriptor is non-blocking; 0 where it does not exist. */
  public static final int SOCK_NONBLOCK = HAS_SOCK_FLAGS ? TABLE.value("SOCK_NONBLOCK") : 0;
  /** {@code SOCK_CLOEXEC}: the new descriptor is close-on-exec; 0 where it does not exist. */
  public static final int SOCK_CLOEXEC = HAS_SOCK_FLAGS ? TABLE.value("SOCK_CLOEXEC") : 0;

  /** {@code SOL_SOCKET}: the socket-level option namespace. */
  public static final int SOL_SOCKET = TABLE.value("SOL_SOCKET");
  /** {@code SO_REUSEADDR}. */
  public static final int SO_REUSEADDR = TABLE.value("SO_REUSEADDR");
  /** {@code SO_TYPE}. */
  public static final int SO_TYPE = TABLE.value("SO_TYPE");
  /** {@code SO_ERROR}: reads and clears the pending error. */
  public static final int SO_ERROR = TABLE.value("SO_ERROR");
  /** {@code SO_BROADCAST}. */
  public static final int SO_BROADCAST = TABLE.value("SO_BROADCAST");
  /** {@code SO_SNDBUF}. */
  public static final int SO_SNDBUF = TABLE.value("SO_SNDBUF");
  /** {@code SO_RCVBUF}. */
  public static final int SO_RCVBUF = TABLE.value("SO_RCVBUF");
  /** {@code SO_KEEPALIVE}. */
  public static final int SO_KEEPALIVE = TABLE.value("SO_KEEPALIVE");
  /** {@code SO_OOBINLINE}. */
  public static final int SO_OOBINLINE = TABLE.value("SO_OOBINLINE");
  /** {@code SO_LINGER}: takes a {@code struct linger}. */
  public static final int SO_LINGER = TABLE.value("SO_LINGER");
  /** {@code SO_REUSEPORT} (Linux 3.9); {@link OsConstants#NONE} on Windows, which lacks it. */
  public static final int SO_REUSEPORT = TABLE.value("SO_REUSEPORT");
  /**
   * The option that sets {@code struct linger} in seconds: {@code SO_LINGER} everywhere except
   * macOS, whose {@code SO_LINGER} counts clock ticks and whose {@code SO_LINGER_SEC} counts
   * seconds.
   */
  public static final int SO_LINGER_SECONDS =
      Os.current() == Os.MACOS ? TABLE.value("SO_LINGER_SEC") : SO_LINGER;
  /**
   * {@code SO_NOSIGPIPE} where poll4j sets it on every socket it makes (macOS, which has no
   * usable {@code MSG_NOSIGNAL}), else {@link OsConstants#NONE}.
   */
  public static final int SO_NOSIGPIPE =
      Os.current() == Os.MACOS ? TABLE.value("SO_NOSIGPIPE") : OsConstants.NONE;

  /** {@code MSG_OOB}: out-of-band (TCP urgent) data. */
  public static final int MSG_OOB = TABLE.value("MSG_OOB");
  /** {@code MSG_PEEK}: receive without removing the data from the queue. */
  public static final int MSG_PEEK = TABLE.value("MSG_PEEK");
  /** {@code MSG_TRUNC}: a datagram was longer than the buffer (in {@code msg_flags}). */
  public static final int MSG_TRUNC = TABLE.value("MSG_TRUNC");
  /** {@code MSG_DONTWAIT}: non-blocking for this call. */
  public static final int MSG_DONTWAIT = TABLE.value("MSG_DONTWAIT");
  /**
   * The flags of every send: {@code MSG_NOSIGNAL} (no {@code SIGPIPE} when the peer is gone;
   * EPIPE is returned), or 0 on macOS, where the socket carries {@link #SO_NOSIGPIPE} instead, as
   * mio and the JDK do there, and on Windows, which has no signals.
   */
  public static final int MSG_NOSIGNAL =
      Os.current() == Os.MACOS || !Os.current().isPosix() ? 0 : TABLE.required("MSG_NOSIGNAL");

  /** {@code SHUT_RD}: no more receptions. */
  public static final int SHUT_RD = TABLE.value("SHUT_RD");
  /** {@code SHUT_WR}: no more transmissions (sends a FIN on TCP). */
  public static final int SHUT_WR = TABLE.value("SHUT_WR");
  /** {@code SHUT_RDWR}: both. */
  public static final int SHUT_RDWR = TABLE.value("SHUT_RDWR");

  /**
   * {@code IOV_MAX}: the most {@code iovec}s one {@code sendmsg}/{@code recvmsg} takes. Winsock
   * has no such limit for {@code WSASend}/{@code WSARecv}; poll4j caps its {@code WSABUF}
   * arrays at the same 1024 there.
   */
  public static final int IOV_MAX =
      TABLE.value("IOV_MAX") != OsConstants.NONE ? TABLE.value("IOV_MAX") : 1024;

  /**
   * The width of each field of {@code struct linger}: {@code int l_onoff, l_linger} (4) on the
   * POSIX systems, {@code u_short} (2) on Windows ({@code winsock2.h}).
   */
  public static final int LINGER_FIELD_SIZE = Os.current().isPosix() ? 4 : 2;

  /** {@code sizeof(void *)}, the unit of the {@code iovec} and {@code msghdr} layouts. */
  public static final int POINTER_SIZE = Native.POINTER_SIZE;
  /** {@code sizeof(struct iovec)}. */
  public static final int SIZEOF_IOVEC = 2 * POINTER_SIZE;
  /** Offset of {@code iov_base}. */
  public static final int OFFSET_IOV_BASE = 0;
  /** Offset of {@code iov_len}. */
  public static final int OFFSET_IOV_LEN = POINTER_SIZE;
  /** {@code sizeof(struct msghdr)}: 7P on Linux, 48 on macOS and the BSDs (LP64). */
  public static final int SIZEOF_MSGHDR = Os.current().isBsd() ? 48 : 7 * POINTER_SIZE;
  /** Offset of {@code msg_name}. */
  public static final int OFFSET_MSG_NAME = 0;
  /** Offset of {@code msg_namelen}. */
  public static final int OFFSET_MSG_NAMELEN = POINTER_SIZE;
  /** Offset of {@code msg_iov}. */
  public static final int OFFSET_MSG_IOV = 2 * POINTER_SIZE;
  /** Offset of {@code msg_iovlen}. */
  public static final int OFFSET_MSG_IOVLEN = 3 * POINTER_SIZE;
  /** Width of {@code msg_iovlen}: a {@code size_t} on Linux, an {@code int} on the BSDs. */
  public static final int SIZEOF_MSG_IOVLEN = Os.current().isBsd() ? 4 : POINTER_SIZE;
  /** Offset of {@code msg_flags}: 6P on Linux, 44 on macOS and the BSDs (LP64). */
  public static final int OFFSET_MSG_FLAGS = Os.current().isBsd() ? 44 : 6 * POINTER_SIZE;

  static {
    if (Os.current() == Os.LINUX && (Platform.isMIPS() || Platform.isSPARC())) {
      throw new ExceptionInInitializerError(
          "poll4j's socket constants cover Linux's generic ABI; MIPS and SPARC differ: this is "
              + System.getProperty("os.arch"));
    }
    if (Os.current().isPosix()) {
      Native.register(Socket.class, Platform.C_LIBRARY_NAME);
    }
  }

  private Socket() {}

  // -- Native methods --

  /**
   * {@code int socket(int domain, int type, int protocol)}.
   *
   * @param domain {@link #AF_INET}, {@link #AF_INET6} or {@link #AF_UNIX}
   * @param type {@link #SOCK_STREAM} or {@link #SOCK_DGRAM}, or'ed with {@link #SOCK_NONBLOCK}
   *     and {@link #SOCK_CLOEXEC}
   * @param protocol 0 for the default
   * @return the descriptor, or -1 on error
   */
  public static native int socket(int domain, int type, int protocol);

  /**
   * {@code int socketpair(int domain, int type, int protocol, int sv[2])}.
   *
   * @param domain {@link #AF_UNIX}
   * @param type as for {@link #socket}
   * @param protocol 0
   * @param sv receives the two connected descriptors
   * @return 0, or -1 on error
   */
  public static native int socketpair(int domain, int type, int protocol, int[] sv);

  /**
   * {@code int bind(int fd, const struct sockaddr *addr, socklen_t len)}.
   *
   * @param fd the socket
   * @param addr address of the sockaddr
   * @param len its length
   * @return 0, or -1 on error
   */
  public static native int bind(int fd, long addr, int len);

  /**
   * {@code int listen(int fd, int backlog)}.
   *
   * @param fd the socket
   * @param backlog the accept queue length (capped by {@code net.core.somaxconn})
   * @return 0, or -1 on error
   */
  public static native int listen(int fd, int backlog);

  /**
   * {@code int accept(int fd, struct sockaddr *addr, socklen_t *len)}: for macOS, which lacks
   * {@code accept4}; the caller sets the new descriptor's flags with {@code fcntl}.
   *
   * @param fd the listening socket
   * @param addr address of a sockaddr buffer, or 0
   * @param len address of its length (in/out), or 0
   * @return the accepted descriptor, or -1 on error
   */
  public static native int accept(int fd, long addr, long len);

  /**
   * {@code int connect(int fd, const struct sockaddr *addr, socklen_t len)}.
   *
   * @param fd the socket
   * @param addr address of the sockaddr
   * @param len its length
   * @return 0, or -1 on error ({@code EINPROGRESS} for a non-blocking stream socket)
   */
  public static native int connect(int fd, long addr, int len);

  /**
   * {@code int getsockname(int fd, struct sockaddr *addr, socklen_t *len)}.
   *
   * @param fd the socket
   * @param addr address of a sockaddr buffer
   * @param len address of its length (in/out)
   * @return 0, or -1 on error
   */
  public static native int getsockname(int fd, long addr, long len);

  /**
   * {@code int getpeername(int fd, struct sockaddr *addr, socklen_t *len)}.
   *
   * @param fd the socket
   * @param addr address of a sockaddr buffer
   * @param len address of its length (in/out)
   * @return 0, or -1 on error ({@code ENOTCONN} when not connected)
   */
  public static native int getpeername(int fd, long addr, long len);

  /**
   * {@code int getsockopt(int fd, int level, int name, void *val, socklen_t *len)}.
   *
   * @param fd the socket
   * @param level such as {@link #SOL_SOCKET}
   * @param name such as {@link #SO_ERROR}
   * @param val address of the value buffer
   * @param len address of its length (in/out)
   * @return 0, or -1 on error
   */
  public static native int getsockopt(int fd, int level, int name, long val, long len);

  /**
   * {@code int setsockopt(int fd, int level, int name, const void *val, socklen_t len)}.
   *
   * @param fd the socket
   * @param level such as {@link #SOL_SOCKET}
   * @param name such as {@link #SO_REUSEADDR}
   * @param val address of the value
   * @param len its length
   * @return 0, or -1 on error
   */
  public static native int setsockopt(int fd, int level, int name, long val, int len);

  /**
   * {@code int shutdown(int fd, int how)}.
   *
   * @param fd the socket
   * @param how {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}
   * @return 0, or -1 on error
   */
  public static native int shutdown(int fd, int how);

  /**
   * {@code ssize_t recv(int fd, void *buf, size_t len, int flags)}. The buffer is an address,
   * not a {@code ByteBuffer}: JNA's conversion of a buffer argument (type check, address lookup,
   * and an upcall for its position) cost about 250 ns per echo round trip in the profile.
   *
   * @param fd the socket
   * @param buf address of the first byte to fill
   * @param len bytes to receive at most
   * @param flags such as {@link #MSG_PEEK}
   * @return bytes received, 0 at end of stream (or an empty datagram), -1 on error
   */
  public static native long recv(int fd, long buf, long len, int flags);

  /**
   * {@code ssize_t send(int fd, const void *buf, size_t len, int flags)}; the buffer is an
   * address, as for {@link #recv}.
   *
   * @param fd the socket
   * @param buf address of the first byte to send
   * @param len bytes to send
   * @param flags {@link #MSG_NOSIGNAL}, possibly with {@link #MSG_OOB}
   * @return bytes sent, -1 on error
   */
  public static native long send(int fd, long buf, long len, int flags);

  /**
   * {@code ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr,
   * socklen_t *addrlen)}.
   *
   * @param fd the socket
   * @param buf address of the first byte to fill
   * @param len bytes to receive at most
   * @param flags such as {@link #MSG_PEEK}
   * @param addr address of a sockaddr buffer for the sender
   * @param addrlen address of its length (in/out)
   * @return bytes received, -1 on error
   */
  public static native long recvfrom(
      int fd, long buf, long len, int flags, long addr, long addrlen);

  /**
   * {@code ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr
   * *addr, socklen_t addrlen)}.
   *
   * @param fd the socket
   * @param buf address of the first byte to send
   * @param len bytes to send
   * @param flags {@link #MSG_NOSIGNAL}
   * @param addr address of the destination sockaddr
   * @param addrlen its length
   * @return bytes sent, -1 on error
   */
  public static native long sendto(
      int fd, long buf, long len, int flags, long addr, int addrlen);

  /**
   * {@code ssize_t recvmsg(int fd, struct msghdr *msg, int flags)}.
   *
   * @param fd the socket
   * @param msg address of the msghdr
   * @param flags such as {@link #MSG_PEEK}
   * @return bytes received, 0 at end of stream, -1 on error
   */
  public static native long recvmsg(int fd, long msg, int flags);

  /**
   * {@code ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)}.
   *
   * @param fd the socket
   * @param msg address of the msghdr
   * @param flags {@link #MSG_NOSIGNAL}
   * @return bytes sent, -1 on error
   */
  public static native long sendmsg(int fd, long msg, int flags);
}
