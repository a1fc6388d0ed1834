package dev.poll4j.internal.posix;

import dev.poll4j.internal.posix.sys.Os;
import dev.poll4j.internal.windows.WinsockCalls;
import java.io.IOException;

/**
 * The socket primitives that {@link NetSocket}, {@link SocketIo} and {@link AcceptReserve} are
 * written against: the BSD socket calls as one OS offers them, plus the few places where the
 * systems differ in more than constants (how a new socket is made non-blocking and private to the
 * process, how a pending connect is polled, the scatter/gather vector). Two implementations:
 * {@link PosixSocketCalls} (the C library, through {@code dev.poll4j.internal.posix.sys}) and
 * {@link WinsockCalls} (Winsock 2, through {@code dev.poll4j.internal.windows.sys}).
 *
 * <p>Conventions, the same for both: a socket is a {@code long} handle value (a descriptor on
 * POSIX, a {@code SOCKET} on Windows, never negative); a call that fails returns {@code -1}, and
 * {@link #lastError()}, called next on the same thread before any other native call, gives the
 * error as a value of {@link dev.poll4j.internal.posix.sys.Errno}'s table for this OS (on Windows
 * those are the Winsock codes). The data calls ({@link #recv}, {@link #send}, {@link #recvfrom},
 * {@link #sendto}, {@link #recvVector}, {@link #sendVector}) differ: they return {@code -error}
 * itself, so the error travels with the result whichever native binding made the call (see
 * {@link dev.poll4j.internal.posix.sys.IoCalls}). Addresses and option values are passed as native addresses in the
 * caller's {@link SocketScratch}. Nothing here allocates on the data path: the would-block path of
 * every call is a native call and an int compare.
 *
 * <p>{@link #CURRENT} is the one instance for this OS; every socket made by {@code
 * dev.poll4j.net} uses it, so the call sites only ever see one implementation class and the JIT
 * inlines through the interface. Tests may give a {@link NetSocket} another implementation.
 */
public interface SocketCalls {
  /** The implementation for this OS: Winsock on Windows, the C library elsewhere. */
  SocketCalls CURRENT = Os.current().isPosix() ? new PosixSocketCalls() : WinsockCalls.create();

  /**
   * The error of the last failed call on this thread.
   *
   * @return a value of {@code Errno}'s table for this OS
   */
  int lastError();

  /**
   * Creates a socket, non-blocking and not inherited by child processes where the OS can do that
   * in the same call (otherwise {@link #adopt} finishes it).
   *
   * @param family {@code AF_INET}, {@code AF_INET6} or {@code AF_UNIX}
   * @param type {@code SOCK_STREAM} or {@code SOCK_DGRAM}
   * @return the socket, or -1
   */
  long socket(int family, int type);

  /**
   * Finishes a socket that {@link #socket}, {@link #socketpair} or {@link #accept} just made:
   * whatever the OS could not set atomically (non-blocking, close-on-exec or no inheritance, no
   * {@code SIGPIPE}; on Windows also no {@code WSAECONNRESET} from ICMP on UDP sockets). Closes
   * the socket if this fails.
   *
   * @param s the socket
   * @param datagram whether it is a {@code SOCK_DGRAM} socket
   * @param call the call that made it, for messages
   * @throws IOException if a call fails (the socket is closed then)
   */
  void adopt(long s, boolean datagram, String call) throws IOException;

  /**
   * Creates the spare of {@link AcceptReserve}: a socket that only holds a descriptor slot, an
   * unbound {@code AF_UNIX} datagram socket, blocking (it is never used for I/O) and
   * close-on-exec.
   *
   * @return the descriptor, or -1 (always on Windows, which has no such socket)
   */
  long reserveSocket();

  /**
   * Creates a connected pair of Unix domain sockets.
   *
   * @param type {@code SOCK_STREAM} or {@code SOCK_DGRAM}
   * @param pair receives the two sockets
   * @return 0, or -1
   * @throws UnsupportedOperationException where the OS has no {@code socketpair} (Windows)
   */
  int socketpair(int type, long[] pair);

  /**
   * Whether {@code AF_UNIX} datagram sockets exist (not on Windows, whose {@code AF_UNIX} is
   * {@code SOCK_STREAM} only).
   *
   * @return true on the POSIX systems
   */
  boolean hasUnixDatagrams();

  /**
   * Whether {@code SO_REUSEADDR} on a listener only lets a restarted server bind while old
   * connections linger in {@code TIME_WAIT} (POSIX), so listeners set it; on Windows it lets a
   * second socket take over a port that is in use, so they do not (as mio does).
   *
   * @return true on the POSIX systems
   */
  boolean listenersReuseAddress();

  /**
   * {@code bind}.
   *
   * @param s the socket
   * @param addr address of the sockaddr
   * @param len its length
   * @return 0, or -1
   */
  int bind(long s, long addr, int len);

  /**
   * {@code listen}.
   *
   * @param s the socket
   * @param backlog the accept queue length
   * @return 0, or -1
   */
  int listen(long s, int backlog);

  /**
   * Accepts a connection without its address; see {@link #adopt} for the flags.
   *
   * @param s the listening socket
   * @return the new socket, or -1
   */
  long accept(long s);

  /**
   * Whether an accept that failed with {@code error} lost only that one connection (the peer
   * gave up while it was queued), so the caller takes the next.
   *
   * @param error the error
   * @return true for {@code ECONNABORTED}; on Windows also {@code WSAECONNRESET}
   */
  boolean acceptAborted(int error);

  /**
   * {@code connect}.
   *
   * @param s the socket
   * @param addr address of the sockaddr
   * @param len its length
   * @return 0, or -1
   */
  int connect(long s, long addr, int len);

  /**
   * Whether a {@link #connect} that failed with {@code error} goes on asynchronously: {@code
   * EINPROGRESS}, {@code EINTR} or {@code EALREADY} on POSIX; {@code WSAEWOULDBLOCK} (what a
   * non-blocking connect reports on Windows), {@code WSAEINPROGRESS} or {@code WSAEALREADY} on
   * Windows.
   *
   * @param error the error
   * @return true while the connection is in progress
   */
  boolean connectPending(int error);

  /**
   * Polls a connecting stream socket without blocking: whether the attempt has ended (the socket
   * is writable, or has an error or a hang-up). {@code poll(2)} on POSIX, {@code select} with the
   * write and except sets on Windows (a failed connect shows in the except set there).
   *
   * @param s the socket
   * @return 1 when the attempt ended, 0 while it goes on, -1 on failure
   */
  int pollConnect(long s);

  /**
   * {@code getsockname}.
   *
   * @param s the socket
   * @param addr address of a sockaddr buffer
   * @param lenAddr address of its length (in/out)
   * @return 0, or -1
   */
  int getsockname(long s, long addr, long lenAddr);

  /**
   * {@code getpeername}.
   *
   * @param s the socket
   * @param addr address of a sockaddr buffer
   * @param lenAddr address of its length (in/out)
   * @return 0, or -1
   */
  int getpeername(long s, long addr, long lenAddr);

  /**
   * {@code getsockopt}.
   *
   * @param s the socket
   * @param level the option level
   * @param name the option
   * @param val address of the value buffer
   * @param lenAddr address of its length (in/out)
   * @return 0, or -1
   */
  int getsockopt(long s, int level, int name, long val, long lenAddr);

  /**
   * {@code setsockopt}.
   *
   * @param s the socket
   * @param level the option level
   * @param name the option
   * @param val address of the value
   * @param len its length
   * @return 0, or -1
   */
  int setsockopt(long s, int level, int name, long val, int len);

  /**
   * {@code shutdown}.
   *
   * @param s the socket
   * @param how {@code SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR}
   * @return 0, or -1
   */
  int shutdown(long s, int how);

  /**
   * {@code recv} into a direct buffer at its position. A datagram longer than {@code len} is
   * truncated to {@code len} on every OS (Winsock reports that as {@code WSAEMSGSIZE}, which
   * the Winsock implementation turns into a count of {@code len}).
   *
   * @param s the socket
   * @param buf address of the first byte to fill (a direct buffer's address plus position)
   * @param len bytes to receive at most
   * @param flags such as {@code MSG_PEEK}
   * @return bytes received, 0 at end of stream (or an empty datagram), or {@code -error}
   */
  long recv(long s, long buf, int len, int flags);

  /**
   * {@code send} from a direct buffer at its position, never raising {@code SIGPIPE}.
   *
   * @param s the socket
   * @param buf address of the first byte to send (a direct buffer's address plus position)
   * @param len bytes to send
   * @param flags 0, or {@code MSG_OOB}
   * @return bytes sent, or {@code -error}
   */
  long send(long s, long buf, int len, int flags);

  /**
   * {@code recvfrom} into a direct buffer at its position; truncates as {@link #recv}.
   *
   * @param s the socket
   * @param buf address of the first byte to fill (a direct buffer's address plus position)
   * @param len bytes to receive at most
   * @param flags such as {@code MSG_PEEK}
   * @param addr address of a sockaddr buffer for the sender
   * @param lenAddr address of its length (in/out)
   * @return bytes received, or {@code -error}
   */
  long recvfrom(long s, long buf, int len, int flags, long addr, long lenAddr);

  /**
   * {@code sendto} from a direct buffer at its position, never raising {@code SIGPIPE}.
   *
   * @param s the socket
   * @param buf address of the first byte to send (a direct buffer's address plus position)
   * @param len bytes to send
   * @param addr address of the destination, or 0 for the connected peer
   * @param addrLen its length, or 0
   * @return bytes sent, or {@code -error}
   */
  long sendto(long s, long buf, int len, long addr, int addrLen);

  /**
   * The layout of one entry of the scatter/gather vector that {@link #recvVector} and {@link
   * #sendVector} take: {@code struct iovec} on POSIX, {@code WSABUF} on Windows.
   *
   * @return the layout
   */
  IoVector vector();

  /**
   * Scatter receive ({@code recvmsg}; {@code WSARecv} on Windows) into the {@code
   * x.iovCount} entries at {@link SocketScratch#IOV}. May use {@link SocketScratch#MSG}, {@link
   * SocketScratch#LEN} and {@link SocketScratch#VALUE}.
   *
   * @param s the socket
   * @param x the calling thread's scratch, with the vector filled in
   * @return bytes received, 0 at end of stream, or {@code -error}
   */
  long recvVector(long s, SocketScratch x);

  /**
   * Gather send ({@code sendmsg}; {@code WSASend} on Windows) from the {@code x.iovCount}
   * entries at {@link SocketScratch#IOV}, never raising {@code SIGPIPE}. May use the same fields
   * as {@link #recvVector}.
   *
   * @param s the socket
   * @param x the calling thread's scratch, with the vector filled in
   * @return bytes sent, or {@code -error}
   */
  long sendVector(long s, SocketScratch x);

  /**
   * Closes a socket ({@code close}; {@code closesocket} on Windows).
   *
   * @param s the socket
   * @return 0, or -1
   */
  int close(long s);
}
