package dev.poll4j.internal.posix.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;

/**
 * sys/socket.h: socket creation, addresses, options, and the data calls {@code recv}, {@code
 * send}, {@code recvfrom}, {@code sendto}, {@code recvmsg}, {@code sendmsg}.
 *
 * <p>JNA direct mapping with primitive, address and direct {@link ByteBuffer} arguments only
 * (JNA passes a direct buffer's address plus its position, with no allocation and no copy);
 * errors are read with {@link Errno#errno()} right after a {@code -1}. Socket addresses are built
 * by {@code dev.poll4j.internal.posix.Sockaddr}; {@code struct msghdr} and {@code struct iovec}
 * are laid out here:
 *
 * <pre>
 * struct iovec {                  // Linux, P = sizeof(void *)
 *     void   *iov_base;           // offset 0
 *     size_t  iov_len;            // offset P
 * };                              // 2P bytes
 *
 * struct msghdr {                 // Linux (glibc and musl on LP64)
 *     void         *msg_name;     // offset 0
 *     socklen_t     msg_namelen;  // offset P
 *     struct iovec *msg_iov;      // offset 2P
 *     size_t        msg_iovlen;   // offset 3P
 *     void         *msg_control;  // offset 4P
 *     size_t        msg_controllen; // offset 5P
 *     int           msg_flags;    // offset 6P
 * };                              // 7P bytes
 * </pre>
 *
 * <p>The constants are Linux's generic values (x86-64, aarch64, arm, riscv, ppc, s390); MIPS and
 * SPARC number {@code SOL_SOCKET} and the {@code SO_*} options differently and are refused. The
 * BSDs get their own table with the kqueue backend.
 */
public final class Socket {
  /** {@code AF_UNSPEC}: unspecified; {@code connect} with it dissolves a datagram association. */
  public static final int AF_UNSPEC = 0;
  /** {@code AF_UNIX}: Unix domain sockets. */
  public static final int AF_UNIX = 1;
  /** {@code AF_INET}: IPv4. */
  public static final int AF_INET = 2;
  /** {@code AF_INET6}: IPv6. */
  public static final int AF_INET6 = 10;

  /** {@code SOCK_STREAM}. */
  public static final int SOCK_STREAM = 1;
  /** {@code SOCK_DGRAM}. */
  public static final int SOCK_DGRAM = 2;
  /** {@code SOCK_NONBLOCK}: the new descriptor is non-blocking (same value as O_NONBLOCK). */
  public static final int SOCK_NONBLOCK = 0x800;
  /** {@code SOCK_CLOEXEC}: the new descriptor is close-on-exec (same value as O_CLOEXEC). */
  public static final int SOCK_CLOEXEC = 0x80000;

  /** {@code SOL_SOCKET}: the socket-level option namespace. */
  public static final int SOL_SOCKET = 1;
  /** {@code SO_REUSEADDR}. */
  public static final int SO_REUSEADDR = 2;
  /** {@code SO_TYPE}. */
  public static final int SO_TYPE = 3;
  /** {@code SO_ERROR}: reads and clears the pending error. */
  public static final int SO_ERROR = 4;
  /** {@code SO_BROADCAST}. */
  public static final int SO_BROADCAST = 6;
  /** {@code SO_SNDBUF}. */
  public static final int SO_SNDBUF = 7;
  /** {@code SO_RCVBUF}. */
  public static final int SO_RCVBUF = 8;
  /** {@code SO_KEEPALIVE}. */
  public static final int SO_KEEPALIVE = 9;
  /** {@code SO_OOBINLINE}. */
  public static final int SO_OOBINLINE = 10;
  /** {@code SO_LINGER}: takes a {@code struct linger}. */
  public static final int SO_LINGER = 13;
  /** {@code SO_REUSEPORT} (Linux 3.9). */
  public static final int SO_REUSEPORT = 15;

  /** {@code MSG_OOB}: out-of-band (TCP urgent) data. */
  public static final int MSG_OOB = 0x1;
  /** {@code MSG_PEEK}: receive without removing the data from the queue. */
  public static final int MSG_PEEK = 0x2;
  /** {@code MSG_TRUNC}: a datagram was longer than the buffer (in {@code msg_flags}). */
  public static final int MSG_TRUNC = 0x20;
  /** {@code MSG_DONTWAIT}: non-blocking for this call. */
  public static final int MSG_DONTWAIT = 0x40;
  /** {@code MSG_NOSIGNAL}: no {@code SIGPIPE} when the peer is gone (EPIPE is returned). */
  public static final int MSG_NOSIGNAL = 0x4000;

  /** {@code SHUT_RD}: no more receptions. */
  public static final int SHUT_RD = 0;
  /** {@code SHUT_WR}: no more transmissions (sends a FIN on TCP). */
  public static final int SHUT_WR = 1;
  /** {@code SHUT_RDWR}: both. */
  public static final int SHUT_RDWR = 2;

  /** {@code IOV_MAX}: the most {@code iovec}s one {@code sendmsg}/{@code recvmsg} takes. */
  public static final int IOV_MAX = 1024;

  /** {@code sizeof(void *)}, the unit of the {@code iovec} and {@code msghdr} layouts. */
  public static final int POINTER_SIZE = Native.POINTER_SIZE;
  /** {@code sizeof(struct iovec)}. */
  public static final int SIZEOF_IOVEC = 2 * POINTER_SIZE;
  /** Offset of {@code iov_base}. */
  public static final int OFFSET_IOV_BASE = 0;
  /** Offset of {@code iov_len}. */
  public static final int OFFSET_IOV_LEN = POINTER_SIZE;
  /** {@code sizeof(struct msghdr)}. */
  public static final int SIZEOF_MSGHDR = 7 * POINTER_SIZE;
  /** Offset of {@code msg_name}. */
  public static final int OFFSET_MSG_NAME = 0;
  /** Offset of {@code msg_namelen}. */
  public static final int OFFSET_MSG_NAMELEN = POINTER_SIZE;
  /** Offset of {@code msg_iov}. */
  public static final int OFFSET_MSG_IOV = 2 * POINTER_SIZE;
  /** Offset of {@code msg_iovlen}. */
  public static final int OFFSET_MSG_IOVLEN = 3 * POINTER_SIZE;
  /** Offset of {@code msg_flags}. */
  public static final int OFFSET_MSG_FLAGS = 6 * POINTER_SIZE;

  static {
    if (!Platform.isLinux() || Platform.isMIPS() || Platform.isSPARC()) {
      throw new ExceptionInInitializerError(
          "poll4j's socket constants cover Linux's generic ABI only so far; this is "
              + System.getProperty("os.name") + " on " + System.getProperty("os.arch"));
    }
    Native.register(Socket.class, Platform.C_LIBRARY_NAME);
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
   * {@code int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)}.
   *
   * @param fd the listening socket
   * @param addr address of a sockaddr buffer, or 0
   * @param len address of its length (in/out), or 0
   * @param flags {@link #SOCK_NONBLOCK} and {@link #SOCK_CLOEXEC}
   * @return the accepted descriptor, or -1 on error
   */
  public static native int accept4(int fd, long addr, long len, int flags);

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
   * {@code ssize_t recv(int fd, void *buf, size_t len, int flags)} into a direct buffer.
   *
   * @param fd the socket
   * @param buf a direct buffer; JNA passes its address plus position
   * @param len bytes to receive at most
   * @param flags such as {@link #MSG_PEEK}
   * @return bytes received, 0 at end of stream (or an empty datagram), -1 on error
   */
  public static native long recv(int fd, ByteBuffer buf, long len, int flags);

  /**
   * {@code ssize_t send(int fd, const void *buf, size_t len, int flags)} from a direct buffer.
   *
   * @param fd the socket
   * @param buf a direct buffer; JNA passes its address plus position
   * @param len bytes to send
   * @param flags {@link #MSG_NOSIGNAL}, possibly with {@link #MSG_OOB}
   * @return bytes sent, -1 on error
   */
  public static native long send(int fd, ByteBuffer buf, long len, int flags);

  /**
   * {@code ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr,
   * socklen_t *addrlen)} into a direct buffer.
   *
   * @param fd the socket
   * @param buf a direct buffer; JNA passes its address plus position
   * @param len bytes to receive at most
   * @param flags such as {@link #MSG_PEEK}
   * @param addr address of a sockaddr buffer for the sender
   * @param addrlen address of its length (in/out)
   * @return bytes received, -1 on error
   */
  public static native long recvfrom(
      int fd, ByteBuffer buf, long len, int flags, long addr, long addrlen);

  /**
   * {@code ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr
   * *addr, socklen_t addrlen)} from a direct buffer.
   *
   * @param fd the socket
   * @param buf a direct buffer; JNA passes its address plus position
   * @param len bytes to send
   * @param flags {@link #MSG_NOSIGNAL}
   * @param addr address of the destination sockaddr
   * @param addrlen its length
   * @return bytes sent, -1 on error
   */
  public static native long sendto(
      int fd, ByteBuffer buf, long len, int flags, long addr, int addrlen);

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
