package dev.poll4j.internal.posix.sys;

import java.lang.invoke.MethodHandles;

/**
 * The C library calls on poll4j's data path: reads and writes of sockets and pipes, and {@code
 * poll(2)}. Two implementations, picked once by {@link NativeBinding}: {@link JnaIoCalls} on
 * every JDK, and {@code FfmIoCalls} (release 22, in the jar's {@code META-INF/versions/22}) on
 * JDK 22+, which spares the JNA dispatch on every call.
 *
 * <p>Contract, the same for both: primitive and address arguments only; a result {@code >= 0} is
 * the call's own; a failed call returns {@code -errno} (never {@code -1} with errno left aside),
 * so callers test for {@code -Errno.EINTR}, {@code -Errno.EAGAIN} and so on. Nothing allocates.
 * The other calls (setup, options, names) stay in the JNA classes of this package, where a call
 * costs what it costs once per socket.
 */
public interface IoCalls {
  /** The implementation for this JVM. */
  IoCalls CURRENT =
      NativeBinding.pick(
          MethodHandles.lookup(),
          IoCalls.class,
          "dev.poll4j.internal.posix.sys.FfmIoCalls",
          JnaIoCalls::new);

  /**
   * Which binding this is.
   *
   * @return {@link NativeBinding#FFM} or {@link NativeBinding#JNA}
   */
  String binding();

  /**
   * {@code read(2)}.
   *
   * @param fd the descriptor
   * @param buf address of the destination
   * @param count bytes to read at most
   * @return bytes read (0 at end of file), or {@code -errno}
   */
  long read(int fd, long buf, long count);

  /**
   * {@code write(2)}.
   *
   * @param fd the descriptor
   * @param buf address of the source
   * @param count bytes to write
   * @return bytes written, or {@code -errno}
   */
  long write(int fd, long buf, long count);

  /**
   * {@code recv(2)}.
   *
   * @param fd the socket
   * @param buf address of the destination
   * @param len bytes to receive at most
   * @param flags such as {@code MSG_PEEK}
   * @return bytes received (0 at end of stream, or an empty datagram), or {@code -errno}
   */
  long recv(int fd, long buf, long len, int flags);

  /**
   * {@code send(2)}.
   *
   * @param fd the socket
   * @param buf address of the source
   * @param len bytes to send
   * @param flags such as {@code MSG_NOSIGNAL}
   * @return bytes sent, or {@code -errno}
   */
  long send(int fd, long buf, long len, int flags);

  /**
   * {@code recvfrom(2)}.
   *
   * @param fd the socket
   * @param buf address of the destination
   * @param len bytes to receive at most
   * @param flags such as {@code MSG_PEEK}
   * @param addr address of a sockaddr buffer for the sender
   * @param addrlen address of its {@code socklen_t} length (in/out)
   * @return bytes received, or {@code -errno}
   */
  long recvfrom(int fd, long buf, long len, int flags, long addr, long addrlen);

  /**
   * {@code sendto(2)}.
   *
   * @param fd the socket
   * @param buf address of the source
   * @param len bytes to send
   * @param flags such as {@code MSG_NOSIGNAL}
   * @param addr address of the destination sockaddr, or 0 for the connected peer
   * @param addrlen its length, or 0
   * @return bytes sent, or {@code -errno}
   */
  long sendto(int fd, long buf, long len, int flags, long addr, int addrlen);

  /**
   * {@code recvmsg(2)}.
   *
   * @param fd the socket
   * @param msg address of a {@code struct msghdr}
   * @param flags such as {@code MSG_PEEK}
   * @return bytes received, or {@code -errno}
   */
  long recvmsg(int fd, long msg, int flags);

  /**
   * {@code sendmsg(2)}.
   *
   * @param fd the socket
   * @param msg address of a {@code struct msghdr}
   * @param flags such as {@code MSG_NOSIGNAL}
   * @return bytes sent, or {@code -errno}
   */
  long sendmsg(int fd, long msg, int flags);

  /**
   * {@code poll(2)}.
   *
   * @param fds address of an array of {@code struct pollfd}
   * @param nfds its length
   * @param timeout milliseconds; -1 waits forever, 0 does not block
   * @return the number of entries with events, or {@code -errno}
   */
  int poll(long fds, long nfds, int timeout);
}
