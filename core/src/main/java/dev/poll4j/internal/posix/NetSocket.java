package dev.poll4j.internal.posix;

import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.OsConstants;
import dev.poll4j.internal.posix.sys.In;
import dev.poll4j.internal.posix.sys.Socket;
import dev.poll4j.internal.posix.sys.Tcp;
import dev.poll4j.net.NetOptions;
import dev.poll4j.spi.Ops;
import dev.poll4j.spi.SourceHandle;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.net.StandardProtocolFamily;
import java.util.Enumeration;
import java.util.Objects;
import java.util.Set;

/**
 * One non-blocking, close-on-exec socket: creation, addresses, connect and accept, options and
 * shutdown. The public socket types of {@code dev.poll4j.net} are thin wrappers around one of
 * these; their data calls go through {@link SocketIo}.
 *
 * <p>Every call that would block invokes the would-block hook of the socket's {@link
 * SourceHandle} (accept: readable; connect still in progress: writable). Native arguments are
 * built in the calling thread's {@link SocketScratch}, so no call allocates native memory.
 *
 * <p>The native calls go through {@link SocketCalls}: the C library on POSIX systems, Winsock on
 * Windows. The handle is a descriptor or a {@code SOCKET}; error values are those of {@code
 * Errno}'s table for this OS (Winsock codes on Windows).
 */
public final class NetSocket {
  /** {@code SOCK_STREAM}, for {@link #open}. */
  public static final int STREAM = Socket.SOCK_STREAM;
  /** {@code SOCK_DGRAM}, for {@link #open}. */
  public static final int DATAGRAM = Socket.SOCK_DGRAM;
  /** {@code AF_UNIX}, for {@link #open}. */
  public static final int UNIX = Socket.AF_UNIX;
  /** {@code SHUT_RD}, for {@link #shutdown}. */
  public static final int SHUT_RD = Socket.SHUT_RD;
  /** {@code SHUT_WR}, for {@link #shutdown}. */
  public static final int SHUT_WR = Socket.SHUT_WR;

  private final SourceHandle handle;
  /** The native calls: {@link SocketCalls#CURRENT}, except for sockets that tests make. */
  final SocketCalls calls;
  /** {@code AF_INET}, {@code AF_INET6} or {@code AF_UNIX}: how addresses are encoded. */
  private final int family;
  /** {@code SOCK_STREAM} or {@code SOCK_DGRAM}. */
  private final int type;
  // Set once a stream connection is known to be established, so finishConnect is one read.
  private volatile boolean connected;

  private NetSocket(SocketCalls calls, long fd, int family, int type, String kind) {
    this.handle = SourceHandle.owned(fd, kind, h -> close(calls, h));
    this.calls = calls;
    this.family = family;
    this.type = type;
  }

  /**
   * Closes a socket handle. EINTR counts as closed (Linux releases the descriptor before it can
   * happen; retrying could close a reused number).
   */
  private static void close(SocketCalls calls, long h) throws IOException {
    if (calls.close(h) != 0) {
      int errno = calls.lastError();
      if (errno != Errno.EINTR) {
        throw Errors.exception("close(" + h + ")", errno);
      }
    }
  }

  // Closes a socket while already handling another failure; errors are added as suppressed.
  private static void closeQuietly(SocketCalls calls, long h, Throwable primary) {
    try {
      close(calls, h);
    } catch (IOException e) {
      primary.addSuppressed(e);
    }
  }

  /**
   * Creates a socket. An IPv6 socket is made dual-stack ({@code IPV6_V6ONLY} off) where the OS
   * allows it, so it also reaches IPv4 peers through IPv4-mapped addresses.
   *
   * @param family {@code AF_INET}, {@code AF_INET6} or {@code AF_UNIX}
   * @param type {@code SOCK_STREAM} or {@code SOCK_DGRAM}
   * @param kind what it is, for messages, such as {@code "tcp stream"}
   * @return the socket
   * @throws IOException if {@code socket} fails (for example {@code EAFNOSUPPORT} without IPv6,
   *     {@code EMFILE})
   * @throws UnsupportedOperationException for a Unix domain datagram socket on Windows
   */
  public static NetSocket open(int family, int type, String kind) throws IOException {
    return open(SocketCalls.CURRENT, family, type, kind);
  }

  /**
   * As {@link #open(int, int, String)}, through other native calls (for tests).
   *
   * @param calls the native calls
   * @param family {@code AF_INET}, {@code AF_INET6} or {@code AF_UNIX}
   * @param type {@code SOCK_STREAM} or {@code SOCK_DGRAM}
   * @param kind what it is, for messages
   * @return the socket
   * @throws IOException if {@code socket} fails
   */
  static NetSocket open(SocketCalls calls, int family, int type, String kind) throws IOException {
    if (family == Socket.AF_UNIX && type == Socket.SOCK_DGRAM && !calls.hasUnixDatagrams()) {
      throw new UnsupportedOperationException(
          "Unix domain datagram sockets do not exist on Windows (its AF_UNIX is SOCK_STREAM"
              + " only)");
    }
    String call = "socket(" + familyName(family) + ", " + typeName(type) + ")";
    long fd = calls.socket(family, type);
    if (fd < 0) {
      int errno = calls.lastError();
      throw Errors.exception(
          call,
          errno,
          errno == Errno.EAFNOSUPPORT ? "this host does not support " + familyName(family) : null);
    }
    calls.adopt(fd, type == Socket.SOCK_DGRAM, call);
    NetSocket s = new NetSocket(calls, fd, family, type, kind);
    if (family == Socket.AF_INET6) {
      s.trySetInt(In.IPPROTO_IPV6, In.IPV6_V6ONLY, 0); // best effort: IPv6-only hosts refuse
    }
    return s;
  }

  /**
   * The address family for an IP protocol family.
   *
   * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}
   * @return {@code AF_INET} or {@code AF_INET6}
   * @throws UnsupportedOperationException for any other family
   */
  public static int ipFamily(StandardProtocolFamily family) {
    switch (Objects.requireNonNull(family, "family")) {
      case INET:
        return Socket.AF_INET;
      case INET6:
        return Socket.AF_INET6;
      default:
        throw new UnsupportedOperationException("Protocol family not supported: " + family);
    }
  }

  /**
   * Creates a connected pair of Unix domain sockets.
   *
   * @param type {@code SOCK_STREAM} or {@code SOCK_DGRAM}
   * @param kind what they are, for messages
   * @return the two sockets
   * @throws IOException if {@code socketpair} fails
   */
  public static NetSocket[] pair(int type, String kind) throws IOException {
    SocketCalls calls = SocketCalls.CURRENT;
    long[] sv = new long[2];
    String call = "socketpair(AF_UNIX, " + typeName(type) + ")";
    if (calls.socketpair(type, sv) != 0) {
      throw Errors.exception(call, calls.lastError());
    }
    boolean datagram = type == Socket.SOCK_DGRAM;
    try {
      calls.adopt(sv[0], datagram, call);
    } catch (IOException e) {
      closeQuietly(calls, sv[1], e);
      throw e;
    }
    NetSocket a = new NetSocket(calls, sv[0], Socket.AF_UNIX, type, kind);
    calls.adopt(sv[1], datagram, call);
    NetSocket b = new NetSocket(calls, sv[1], Socket.AF_UNIX, type, kind);
    a.connected = true;
    b.connected = true;
    return new NetSocket[] {a, b};
  }

  /**
   * The handle and registration bookkeeping.
   *
   * @return the handle
   */
  public SourceHandle handle() {
    return handle;
  }

  /**
   * The descriptor.
   *
   * @return the descriptor
   */
  public int fd() {
    return handle.fd();
  }

  /**
   * The address family.
   *
   * @return {@code AF_INET}, {@code AF_INET6} or {@code AF_UNIX}
   */
  public int family() {
    return family;
  }

  /**
   * Whether this is a stream socket.
   *
   * @return true for {@code SOCK_STREAM}
   */
  public boolean isStream() {
    return type == Socket.SOCK_STREAM;
  }

  /**
   * Whether a listener should set {@code SO_REUSEADDR} before binding: on POSIX systems it only
   * lets a restarted server bind while old connections linger in {@code TIME_WAIT}; on Windows it
   * would let another socket take over the port while in use, so listeners leave it off there.
   *
   * @return true on the POSIX systems
   */
  public boolean listenersReuseAddress() {
    return calls.listenersReuseAddress();
  }

  /**
   * Whether the socket is open.
   *
   * @return false once closed
   */
  public boolean isOpen() {
    return !handle.isClosed();
  }

  /**
   * Throws if the socket is closed.
   *
   * @throws ClosedChannelException if it is
   */
  public void ensureOpen() throws ClosedChannelException {
    if (handle.isClosed()) {
      throw new ClosedChannelException();
    }
  }

  /**
   * The exception for a failed call on this socket: {@link ClosedChannelException} when the
   * socket was closed meanwhile, {@link PortUnreachableException} for {@code ECONNREFUSED} on a
   * UDP socket (an ICMP port-unreachable), else {@link Errors#socketException}.
   *
   * @param call the call, such as {@code "recv"}
   * @param errno the error number
   * @return the exception to throw
   */
  public IOException failure(String call, int errno) {
    return failure(call, null, errno);
  }

  /**
   * As {@link #failure(String, int)}, naming an argument of the call in the message.
   *
   * @param call the call, such as {@code "getsockopt"}
   * @param argument what the call was about, such as {@code "SO_RCVBUF"}, or null
   * @param errno the error number
   * @return the exception to throw
   */
  public IOException failure(String call, String argument, int errno) {
    if (errno == Errno.EBADF && handle.isClosed()) {
      return new ClosedChannelException();
    }
    String what = call + "(" + handle + (argument == null ? ")" : ", " + argument + ")");
    if (errno == Errno.ECONNREFUSED && type == Socket.SOCK_DGRAM && family != Socket.AF_UNIX) {
      return new PortUnreachableException(
          what + " failed: ECONNREFUSED (the peer's port is unreachable)");
    }
    return Errors.socketException(what, errno);
  }

  // ---- addresses, bind, listen, connect, accept -------------------------------------------

  /**
   * Binds the socket.
   *
   * @param local the address
   * @throws IOException a {@link java.net.BindException} when the address is in use, not
   *     available here, or privileged; another error otherwise
   */
  public void bind(SocketAddress local) throws IOException {
    ensureOpen();
    SocketScratch s = SocketScratch.get();
    int len = s.putTarget(local, family);
    if (calls.bind(handle.value(), s.at(SocketScratch.ADDR_OUT), len) != 0) {
      int errno = calls.lastError();
      if (errno == Errno.EBADF && handle.isClosed()) {
        throw new ClosedChannelException();
      }
      if (errno == Errno.EINVAL) {
        throw Errors.exception(
            "bind(" + handle + ", " + local + ")", errno, "the socket is already bound");
      }
      throw Errors.bindException("bind(" + handle + ", " + local + ")", errno);
    }
  }

  /**
   * Makes a bound (or, on Linux, an unbound: it is given an ephemeral port) stream socket
   * listen, and makes sure the process has its {@link AcceptReserve spare descriptor}.
   *
   * @param backlog the accept queue length; the kernel caps it at {@code net.core.somaxconn}
   * @throws IOException if {@code listen} fails
   */
  public void listen(int backlog) throws IOException {
    ensureOpen();
    if (calls.listen(handle.value(), backlog) != 0) {
      throw failure("listen", calls.lastError());
    }
    AcceptReserve.ensure();
  }

  /**
   * Starts a connection (stream) or sets the default peer (datagram).
   *
   * @param remote the peer's address
   * @return true when connected at once; false when a stream connection is in progress (the
   *     socket becomes writable when it completes or fails)
   * @throws IOException a {@link ConnectException} when refused at once, another error otherwise
   */
  public boolean connect(SocketAddress remote) throws IOException {
    ensureOpen();
    SocketScratch s = SocketScratch.get();
    int len = s.putTarget(remote, family);
    if (calls.connect(handle.value(), s.at(SocketScratch.ADDR_OUT), len) == 0) {
      connected = isStream();
      return true;
    }
    int errno = calls.lastError();
    if (calls.connectPending(errno)) {
      // The connection goes on asynchronously (after EINTR too; WSAEWOULDBLOCK on Windows).
      handle.wouldBlock(Ops.WRITABLE);
      return false;
    }
    if (errno == Errno.EISCONN) {
      connected = isStream();
      return true;
    }
    if (errno == Errno.EAGAIN) { // AF_UNIX: the listener's queue is full; Linux does not queue
      throw Errors.exception(
          "connect(" + handle + ", " + remote + ")",
          errno,
          "the listener's accept queue is full; connect again later");
    }
    if (errno == Errno.EBADF && handle.isClosed()) {
      throw new ClosedChannelException();
    }
    throw Errors.socketException("connect(" + handle + ", " + remote + ")", errno);
  }

  /**
   * Completes a stream connection started by {@link #connect}: true once established, false
   * while in progress (the would-block hook is called for writable), an exception when it
   * failed.
   *
   * @return whether the connection is established
   * @throws IOException a {@link ConnectException} when refused or timed out (or when the
   *     connection failed and its error was already taken with {@link #takeError()}), another
   *     error otherwise
   */
  public boolean finishConnect() throws IOException {
    ensureOpen();
    if (connected) {
      return true;
    }
    int rc = calls.pollConnect(handle.value());
    if (rc < 0 && calls.lastError() != Errno.EINTR) {
      throw failure("poll", calls.lastError());
    }
    if (rc <= 0) {
      handle.wouldBlock(Ops.WRITABLE);
      return false;
    }
    int err = getInt(Socket.SOL_SOCKET, Socket.SO_ERROR, "SO_ERROR");
    if (err == Errno.ETIMEDOUT) {
      throw new ConnectException("Connection timed out");
    }
    if (err != 0) {
      throw Errors.socketException("connect(" + handle + ")", err);
    }
    SocketScratch s = SocketScratch.get();
    s.mem.putInt(SocketScratch.LEN, Sockaddr.STORAGE_SIZE);
    if (calls.getpeername(handle.value(), s.at(SocketScratch.ADDR_IN), s.at(SocketScratch.LEN))
        == 0) {
      connected = true;
      return true;
    }
    int errno = calls.lastError();
    if (errno == Errno.ENOTCONN) {
      throw new ConnectException(
          "not connected: no connect was started, or it failed and its error was already"
              + " taken (takeError)");
    }
    throw failure("getpeername", errno);
  }

  /**
   * Accepts a connection.
   *
   * <p>At the open-files limit ({@code EMFILE}, {@code ENFILE}) the queued connections are
   * accepted and closed through the {@link AcceptReserve spare descriptor}, so that the
   * listener neither spins nor goes deaf. When that empties the queue, the would-block hook is
   * called for readable, and the result is null if nothing was queued, else an exception that
   * says how many connections were closed.
   *
   * @param kind what the accepted socket is, for messages
   * @return the connected socket (non-blocking, close-on-exec), or null when none is pending
   *     (the would-block hook is called for readable)
   * @throws IOException if {@code accept4} fails: {@code EMFILE} or {@code ENFILE} after the
   *     queue was shed as above, or another error
   */
  public NetSocket accept(String kind) throws IOException {
    ensureOpen();
    for (; ; ) {
      long fd = calls.accept(handle.value());
      if (fd >= 0) {
        calls.adopt(fd, false, "accept(" + handle + ")");
        NetSocket s = new NetSocket(calls, fd, family, type, kind);
        s.connected = true;
        if (AcceptReserve.descriptor() < 0) {
          AcceptReserve.ensure(); // it was spent, or missing since the listener was made
        }
        return s;
      }
      int errno = calls.lastError();
      if (errno == Errno.EAGAIN) {
        handle.wouldBlock(Ops.READABLE);
        return null;
      }
      if ((errno == Errno.EMFILE || errno == Errno.ENFILE) && AcceptReserve.SUPPORTED) {
        return shed(errno);
      }
      // ECONNABORTED: the peer gave up while queued; take the next one.
      if (errno != Errno.EINTR && !calls.acceptAborted(errno)) {
        throw failure("accept4", errno);
      }
    }
  }

  // accept4 failed with EMFILE or ENFILE: shed the queue through the spare descriptor.
  private NetSocket shed(int limitErrno) throws IOException {
    AcceptReserve.Shed shed = AcceptReserve.shed(handle.value(), limitErrno);
    String call = "accept4(" + handle + ")";
    String closed =
        shed.closed() + " pending connection" + (shed.closed() == 1 ? " was" : "s were")
            + " closed unaccepted";
    if (shed.drained()) {
      handle.wouldBlock(Ops.READABLE);
      if (shed.closed() == 0) {
        return null;
      }
      throw Errors.exception(
          call,
          limitErrno,
          "the open-files limit is reached; "
              + closed
              + ", so that the listener does not spin; it stays registered, and accepts again"
              + " once descriptors are free");
    }
    if (shed.errno() == Errno.EMFILE || shed.errno() == Errno.ENFILE) {
      throw Errors.exception(
          call,
          limitErrno,
          "the open-files limit is reached, and the spare descriptor for shedding pending"
              + " connections is not available"
              + (shed.closed() == 0 ? "" : " (" + closed + " before another thread took its slot)")
              + "; the rest stay queued: accept again once descriptors are free");
    }
    throw failure("accept4", shed.errno());
  }

  /**
   * Reads and clears the pending error ({@code SO_ERROR}).
   *
   * @return the error as an exception, or null when none is pending
   * @throws IOException if {@code getsockopt} fails
   */
  public IOException takeError() throws IOException {
    int err = getInt(Socket.SOL_SOCKET, Socket.SO_ERROR, "SO_ERROR");
    if (err == 0) {
      return null;
    }
    return failure("pending error (SO_ERROR)", err);
  }

  /**
   * The address the socket is bound to.
   *
   * @return the address; for an unbound Unix socket an empty {@code UnixDomainSocketAddress}
   * @throws IOException if {@code getsockname} fails
   */
  public SocketAddress localAddress() throws IOException {
    ensureOpen();
    SocketScratch s = SocketScratch.get();
    s.mem.putInt(SocketScratch.LEN, Sockaddr.STORAGE_SIZE);
    if (calls.getsockname(handle.value(), s.at(SocketScratch.ADDR_IN), s.at(SocketScratch.LEN))
        != 0) {
      throw failure("getsockname", calls.lastError());
    }
    return Sockaddr.get(s.mem, SocketScratch.ADDR_IN, s.mem.getInt(SocketScratch.LEN));
  }

  /**
   * The address of the connected peer.
   *
   * @return the address, or null when not connected
   * @throws IOException if {@code getpeername} fails otherwise
   */
  public SocketAddress peerAddress() throws IOException {
    ensureOpen();
    SocketScratch s = SocketScratch.get();
    s.mem.putInt(SocketScratch.LEN, Sockaddr.STORAGE_SIZE);
    if (calls.getpeername(handle.value(), s.at(SocketScratch.ADDR_IN), s.at(SocketScratch.LEN))
        != 0) {
      int errno = calls.lastError();
      if (errno == Errno.ENOTCONN) {
        return null;
      }
      throw failure("getpeername", errno);
    }
    return Sockaddr.get(s.mem, SocketScratch.ADDR_IN, s.mem.getInt(SocketScratch.LEN));
  }

  /**
   * Dissolves a datagram socket's association with its peer ({@code connect(AF_UNSPEC)}). The
   * local port stays: Linux releases a port that was picked by the kernel (bound as port 0) on
   * disconnect, so the socket is bound to it again, as the JDK does.
   *
   * @throws IOException if {@code connect} fails, or the port cannot be bound again
   */
  public void disconnect() throws IOException {
    ensureOpen();
    SocketAddress before = family != Socket.AF_UNIX ? localAddress() : null;
    SocketScratch s = SocketScratch.get();
    int len = Sockaddr.putUnspec(s.mem, SocketScratch.VALUE);
    if (calls.connect(handle.value(), s.at(SocketScratch.VALUE), len) != 0) {
      int errno = calls.lastError();
      if (errno != Errno.EAFNOSUPPORT) { // some systems say so when already disconnected
        throw failure("connect", "AF_UNSPEC", errno);
      }
    }
    if (before != null && ((InetSocketAddress) before).getPort() != 0) {
      InetSocketAddress after = (InetSocketAddress) localAddress();
      if (after.getPort() != ((InetSocketAddress) before).getPort()) {
        // Bound to the wildcard address if it was only the connect that picked the address.
        bind(after.getAddress().isAnyLocalAddress()
            ? new InetSocketAddress(after.getAddress(), ((InetSocketAddress) before).getPort())
            : before);
      }
    }
  }

  /**
   * Shuts down one or both directions. A socket that is not (or no longer) connected is not an
   * error, so shutting down after a peer reset is harmless.
   *
   * @param how {@code SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR}
   * @throws IOException if {@code shutdown} fails otherwise
   */
  public void shutdown(int how) throws IOException {
    ensureOpen();
    if (calls.shutdown(handle.value(), how) != 0) {
      int errno = calls.lastError();
      if (errno != Errno.ENOTCONN) {
        throw failure("shutdown", errno);
      }
    }
  }

  /**
   * Closes the socket, ending its registration first. Idempotent.
   *
   * @throws IOException if {@code close} fails
   */
  public void close() throws IOException {
    handle.close();
  }

  // ---- options ------------------------------------------------------------------------------

  /**
   * Reads an {@code int} option.
   *
   * @param level such as {@code SOL_SOCKET}
   * @param name such as {@code SO_RCVBUF}
   * @param what the option's name, for messages
   * @return the value (a one-byte answer is widened)
   * @throws IOException if {@code getsockopt} fails
   */
  public int getInt(int level, int name, String what) throws IOException {
    ensureOpen();
    SocketScratch s = SocketScratch.get();
    s.mem.putInt(SocketScratch.VALUE, 0);
    s.mem.putInt(SocketScratch.LEN, 4);
    if (calls.getsockopt(
            handle.value(), level, name, s.at(SocketScratch.VALUE), s.at(SocketScratch.LEN))
        != 0) {
      throw failure("getsockopt", what, calls.lastError());
    }
    return s.mem.getInt(SocketScratch.LEN) == 1
        ? s.mem.get(SocketScratch.VALUE) & 0xff
        : s.mem.getInt(SocketScratch.VALUE);
  }

  /**
   * Sets an {@code int} option.
   *
   * @param level such as {@code SOL_SOCKET}
   * @param name such as {@code SO_RCVBUF}
   * @param value the value
   * @param what the option's name, for messages
   * @throws IOException if {@code setsockopt} fails
   */
  public void setInt(int level, int name, int value, String what) throws IOException {
    ensureOpen();
    int errno = trySetInt(level, name, value);
    if (errno != 0) {
      throw failure("setsockopt", what, errno);
    }
  }

  // Returns 0 or the errno.
  private int trySetInt(int level, int name, int value) {
    SocketScratch s = SocketScratch.get();
    if (In.isByteOption(level, name)) {
      s.mem.put(SocketScratch.VALUE, (byte) value);
      return setRaw(s, level, name, 1);
    }
    s.mem.putInt(SocketScratch.VALUE, value);
    return setRaw(s, level, name, 4);
  }

  private int setRaw(SocketScratch s, int level, int name, int len) {
    return calls.setsockopt(handle.value(), level, name, s.at(SocketScratch.VALUE), len) == 0
        ? 0
        : calls.lastError();
  }

  // On a dual-stack IPv6 socket, the IPv4 twin of an option applies to IPv4-mapped traffic.
  private void setIpv6AndIpv4(int v6, int v4, int value, String what) throws IOException {
    setInt(In.IPPROTO_IPV6, v6, value, what);
    trySetInt(In.IPPROTO_IP, v4, value);
  }

  /**
   * Reads an option by its Java name: the {@link StandardSocketOptions} poll4j supports and
   * {@link NetOptions#IP_TTL}. The caller checks that its socket type supports the option.
   *
   * @param name the option
   * @return its value, of {@code name.type()}
   * @throws IOException if {@code getsockopt} fails
   * @throws UnsupportedOperationException for an option poll4j does not know
   */
  private Object getOption(SocketOption<?> name) throws IOException {
    boolean v6 = family == Socket.AF_INET6;
    if (name == StandardSocketOptions.SO_RCVBUF) {
      return getInt(Socket.SOL_SOCKET, Socket.SO_RCVBUF, "SO_RCVBUF");
    } else if (name == StandardSocketOptions.SO_SNDBUF) {
      return getInt(Socket.SOL_SOCKET, Socket.SO_SNDBUF, "SO_SNDBUF");
    } else if (name == StandardSocketOptions.SO_REUSEADDR) {
      return getInt(Socket.SOL_SOCKET, Socket.SO_REUSEADDR, "SO_REUSEADDR") != 0;
    } else if (name == StandardSocketOptions.SO_REUSEPORT) {
      return getInt(Socket.SOL_SOCKET, Socket.SO_REUSEPORT, "SO_REUSEPORT") != 0;
    } else if (name == StandardSocketOptions.SO_KEEPALIVE) {
      return getInt(Socket.SOL_SOCKET, Socket.SO_KEEPALIVE, "SO_KEEPALIVE") != 0;
    } else if (name == StandardSocketOptions.SO_BROADCAST) {
      return getInt(Socket.SOL_SOCKET, Socket.SO_BROADCAST, "SO_BROADCAST") != 0;
    } else if (name == StandardSocketOptions.TCP_NODELAY) {
      return getInt(In.IPPROTO_TCP, Tcp.TCP_NODELAY, "TCP_NODELAY") != 0;
    } else if (name == StandardSocketOptions.SO_LINGER) {
      return getLinger();
    } else if (name == StandardSocketOptions.IP_TOS) {
      return v6
          ? getInt(In.IPPROTO_IPV6, In.IPV6_TCLASS, "IPV6_TCLASS")
          : getInt(In.IPPROTO_IP, In.IP_TOS, "IP_TOS");
    } else if (name == NetOptions.IP_TTL) {
      return v6
          ? getInt(In.IPPROTO_IPV6, In.IPV6_UNICAST_HOPS, "IPV6_UNICAST_HOPS")
          : getInt(In.IPPROTO_IP, In.IP_TTL, "IP_TTL");
    } else if (name == StandardSocketOptions.IP_MULTICAST_TTL) {
      return v6
          ? getInt(In.IPPROTO_IPV6, In.IPV6_MULTICAST_HOPS, "IPV6_MULTICAST_HOPS")
          : getInt(In.IPPROTO_IP, In.IP_MULTICAST_TTL, "IP_MULTICAST_TTL");
    } else if (name == StandardSocketOptions.IP_MULTICAST_LOOP) {
      return (v6
              ? getInt(In.IPPROTO_IPV6, In.IPV6_MULTICAST_LOOP, "IPV6_MULTICAST_LOOP")
              : getInt(In.IPPROTO_IP, In.IP_MULTICAST_LOOP, "IP_MULTICAST_LOOP"))
          != 0;
    } else if (name == StandardSocketOptions.IP_MULTICAST_IF) {
      return getMulticastInterface(v6);
    }
    throw new UnsupportedOperationException("'" + name + "' not supported");
  }

  /**
   * Sets an option by its Java name (see {@link #getOption}).
   *
   * @param name the option
   * @param value its value, of {@code name.type()}
   * @throws IOException if {@code setsockopt} fails
   * @throws IllegalArgumentException if the value is null, of the wrong type, or out of range
   * @throws UnsupportedOperationException for an option poll4j does not know
   */
  private void setOption(SocketOption<?> name, Object value) throws IOException {
    if (value == null || !name.type().isInstance(value)) {
      throw new IllegalArgumentException("Invalid value '" + value + "' for " + name);
    }
    boolean v6 = family == Socket.AF_INET6;
    if (name == StandardSocketOptions.SO_RCVBUF) {
      setInt(Socket.SOL_SOCKET, Socket.SO_RCVBUF, positive(name, value), "SO_RCVBUF");
    } else if (name == StandardSocketOptions.SO_SNDBUF) {
      setInt(Socket.SOL_SOCKET, Socket.SO_SNDBUF, positive(name, value), "SO_SNDBUF");
    } else if (name == StandardSocketOptions.SO_REUSEADDR) {
      setInt(Socket.SOL_SOCKET, Socket.SO_REUSEADDR, bool(value), "SO_REUSEADDR");
    } else if (name == StandardSocketOptions.SO_REUSEPORT) {
      setInt(Socket.SOL_SOCKET, Socket.SO_REUSEPORT, bool(value), "SO_REUSEPORT");
    } else if (name == StandardSocketOptions.SO_KEEPALIVE) {
      setInt(Socket.SOL_SOCKET, Socket.SO_KEEPALIVE, bool(value), "SO_KEEPALIVE");
    } else if (name == StandardSocketOptions.SO_BROADCAST) {
      setInt(Socket.SOL_SOCKET, Socket.SO_BROADCAST, bool(value), "SO_BROADCAST");
    } else if (name == StandardSocketOptions.TCP_NODELAY) {
      setInt(In.IPPROTO_TCP, Tcp.TCP_NODELAY, bool(value), "TCP_NODELAY");
    } else if (name == StandardSocketOptions.SO_LINGER) {
      setLinger((Integer) value);
    } else if (name == StandardSocketOptions.IP_TOS) {
      int tos = range(name, value, 0, 255);
      if (v6) {
        setIpv6AndIpv4(In.IPV6_TCLASS, In.IP_TOS, tos, "IPV6_TCLASS");
      } else {
        setInt(In.IPPROTO_IP, In.IP_TOS, tos, "IP_TOS");
      }
    } else if (name == NetOptions.IP_TTL) {
      int ttl = range(name, value, 1, 255);
      if (v6) {
        setIpv6AndIpv4(In.IPV6_UNICAST_HOPS, In.IP_TTL, ttl, "IPV6_UNICAST_HOPS");
      } else {
        setInt(In.IPPROTO_IP, In.IP_TTL, ttl, "IP_TTL");
      }
    } else if (name == StandardSocketOptions.IP_MULTICAST_TTL) {
      int ttl = range(name, value, 0, 255);
      if (v6) {
        setIpv6AndIpv4(In.IPV6_MULTICAST_HOPS, In.IP_MULTICAST_TTL, ttl, "IPV6_MULTICAST_HOPS");
      } else {
        setInt(In.IPPROTO_IP, In.IP_MULTICAST_TTL, ttl, "IP_MULTICAST_TTL");
      }
    } else if (name == StandardSocketOptions.IP_MULTICAST_LOOP) {
      if (v6) {
        setIpv6AndIpv4(
            In.IPV6_MULTICAST_LOOP, In.IP_MULTICAST_LOOP, bool(value), "IPV6_MULTICAST_LOOP");
      } else {
        setInt(In.IPPROTO_IP, In.IP_MULTICAST_LOOP, bool(value), "IP_MULTICAST_LOOP");
      }
    } else if (name == StandardSocketOptions.IP_MULTICAST_IF) {
      setMulticastInterface(v6, (NetworkInterface) value);
    } else {
      throw new UnsupportedOperationException("'" + name + "' not supported");
    }
  }

  /**
   * Reads an option that the caller's socket type supports.
   *
   * @param <T> the option's value type
   * @param supported the options of the caller's socket type
   * @param name the option
   * @return its value
   * @throws IOException if {@code getsockopt} fails, or the socket is closed
   * @throws UnsupportedOperationException if {@code name} is not in {@code supported}
   */
  public <T> T getOption(Set<SocketOption<?>> supported, SocketOption<T> name)
      throws IOException {
    checkSupported(supported, name);
    ensureOpen();
    return name.type().cast(getOption(name));
  }

  /**
   * Sets an option that the caller's socket type supports.
   *
   * @param supported the options of the caller's socket type
   * @param name the option
   * @param value its value
   * @throws IOException if {@code setsockopt} fails, or the socket is closed
   * @throws UnsupportedOperationException if {@code name} is not in {@code supported}
   * @throws IllegalArgumentException if the value is null or out of range
   */
  public void setOption(Set<SocketOption<?>> supported, SocketOption<?> name, Object value)
      throws IOException {
    checkSupported(supported, name);
    ensureOpen();
    setOption(name, value);
  }

  private static void checkSupported(Set<SocketOption<?>> supported, SocketOption<?> name) {
    if (!supported.contains(Objects.requireNonNull(name, "name"))) {
      throw new UnsupportedOperationException("'" + name + "' not supported");
    }
    if (name == StandardSocketOptions.SO_REUSEPORT && Socket.SO_REUSEPORT == OsConstants.NONE) {
      throw new UnsupportedOperationException("'" + name + "' does not exist on Windows");
    }
  }

  private static int bool(Object value) {
    return (Boolean) value ? 1 : 0;
  }

  private static int positive(SocketOption<?> name, Object value) {
    int v = (Integer) value;
    if (v <= 0) {
      throw new IllegalArgumentException(name + " <= 0: " + v);
    }
    return v;
  }

  private static int range(SocketOption<?> name, Object value, int min, int max) {
    int v = (Integer) value;
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + " not in [" + min + ", " + max + "]: " + v);
    }
    return v;
  }

  // struct linger { int l_onoff; int l_linger; }: 8 bytes on every POSIX system; Windows has
  // u_short fields: 4 bytes (Socket.LINGER_FIELD_SIZE).
  private int getLinger() throws IOException {
    ensureOpen();
    SocketScratch s = SocketScratch.get();
    s.mem.putLong(SocketScratch.VALUE, 0L);
    s.mem.putInt(SocketScratch.LEN, 2 * Socket.LINGER_FIELD_SIZE);
    if (calls.getsockopt(
            handle.value(), Socket.SOL_SOCKET, Socket.SO_LINGER_SECONDS, s.at(SocketScratch.VALUE),
            s.at(SocketScratch.LEN))
        != 0) {
      throw failure("getsockopt", "SO_LINGER", calls.lastError());
    }
    if (Socket.LINGER_FIELD_SIZE == 2) {
      return s.mem.getShort(SocketScratch.VALUE) != 0
          ? s.mem.getShort(SocketScratch.VALUE + 2) & 0xffff
          : -1;
    }
    return s.mem.getInt(SocketScratch.VALUE) != 0 ? s.mem.getInt(SocketScratch.VALUE + 4) : -1;
  }

  private void setLinger(int seconds) throws IOException {
    ensureOpen();
    SocketScratch s = SocketScratch.get();
    int onoff = seconds >= 0 ? 1 : 0;
    int linger = Math.max(0, Math.min(seconds, 65535));
    if (Socket.LINGER_FIELD_SIZE == 2) {
      s.mem.putShort(SocketScratch.VALUE, (short) onoff);
      s.mem.putShort(SocketScratch.VALUE + 2, (short) linger);
    } else {
      s.mem.putInt(SocketScratch.VALUE, onoff);
      s.mem.putInt(SocketScratch.VALUE + 4, linger);
    }
    int errno =
        setRaw(s, Socket.SOL_SOCKET, Socket.SO_LINGER_SECONDS, 2 * Socket.LINGER_FIELD_SIZE);
    if (errno != 0) {
      throw failure("setsockopt", "SO_LINGER", errno);
    }
  }

  private NetworkInterface getMulticastInterface(boolean v6) throws IOException {
    if (v6) {
      int index = getInt(In.IPPROTO_IPV6, In.IPV6_MULTICAST_IF, "IPV6_MULTICAST_IF");
      return index == 0 ? null : NetworkInterface.getByIndex(index);
    }
    ensureOpen();
    SocketScratch s = SocketScratch.get();
    s.mem.putInt(SocketScratch.VALUE, 0);
    s.mem.putInt(SocketScratch.LEN, 4);
    if (calls.getsockopt(
            handle.value(), In.IPPROTO_IP, In.IP_MULTICAST_IF, s.at(SocketScratch.VALUE),
            s.at(SocketScratch.LEN))
        != 0) {
      throw failure("getsockopt", "IP_MULTICAST_IF", calls.lastError());
    }
    InetAddress a = Sockaddr.getInAddr(s.mem, SocketScratch.VALUE);
    return a.isAnyLocalAddress() ? null : NetworkInterface.getByInetAddress(a);
  }

  private void setMulticastInterface(boolean v6, NetworkInterface ni) throws IOException {
    Inet4Address v4 = firstIpv4(ni);
    if (v6) {
      setInt(In.IPPROTO_IPV6, In.IPV6_MULTICAST_IF, ni.getIndex(), "IPV6_MULTICAST_IF");
      if (v4 == null) {
        return;
      }
    } else if (v4 == null) {
      throw new IllegalArgumentException("interface has no IPv4 address: " + ni.getName());
    }
    ensureOpen();
    SocketScratch s = SocketScratch.get();
    Sockaddr.putInAddr(s.mem, SocketScratch.VALUE, v4);
    int errno = setRaw(s, In.IPPROTO_IP, In.IP_MULTICAST_IF, 4);
    if (errno != 0 && !v6) {
      throw failure("setsockopt", "IP_MULTICAST_IF", errno);
    }
  }

  private static Inet4Address firstIpv4(NetworkInterface ni) {
    for (Enumeration<InetAddress> e = ni.getInetAddresses(); e.hasMoreElements(); ) {
      InetAddress a = e.nextElement();
      if (a instanceof Inet4Address) {
        return (Inet4Address) a;
      }
    }
    return null;
  }

  /**
   * Joins or leaves a multicast group ({@code IP_ADD_MEMBERSHIP} and friends).
   *
   * @param join true to join, false to leave
   * @param group the multicast group; IPv4 groups work on IPv6 (dual-stack) sockets too
   * @param ni the interface, or null for the one the routing table picks
   * @throws IOException if {@code setsockopt} fails (for example {@code EADDRINUSE} when joined
   *     already, {@code EADDRNOTAVAIL} when leaving a group not joined)
   * @throws IllegalArgumentException if {@code group} is not a multicast address, an IPv6 group
   *     is given to an IPv4 socket, or {@code ni} has no IPv4 address for an IPv4 group
   */
  public void membership(boolean join, InetAddress group, NetworkInterface ni)
      throws IOException {
    if (!group.isMulticastAddress()) {
      throw new IllegalArgumentException("not a multicast address: " + group);
    }
    ensureOpen();
    SocketScratch s = SocketScratch.get();
    int level;
    int name;
    int len;
    if (group instanceof Inet4Address) {
      Inet4Address interfaceAddress = null;
      if (ni != null) {
        interfaceAddress = firstIpv4(ni);
        if (interfaceAddress == null) {
          throw new IllegalArgumentException("interface has no IPv4 address: " + ni.getName());
        }
      }
      level = In.IPPROTO_IP;
      name = join ? In.IP_ADD_MEMBERSHIP : In.IP_DROP_MEMBERSHIP;
      len = Sockaddr.putIpMreq(s.mem, SocketScratch.VALUE, (Inet4Address) group, interfaceAddress);
    } else {
      if (family != Socket.AF_INET6) {
        throw new IllegalArgumentException("an IPv6 group for an IPv4 socket: " + group);
      }
      level = In.IPPROTO_IPV6;
      name = join ? In.IPV6_ADD_MEMBERSHIP : In.IPV6_DROP_MEMBERSHIP;
      len =
          Sockaddr.putIpv6Mreq(
              s.mem, SocketScratch.VALUE, (Inet6Address) group, ni == null ? 0 : ni.getIndex());
    }
    int errno = setRaw(s, level, name, len);
    if (errno != 0) {
      throw failure(
          "setsockopt", (join ? "join " : "leave ") + group.getHostAddress(), errno);
    }
  }

  // ---- names for messages -------------------------------------------------------------------

  private static String familyName(int family) {
    if (family == Socket.AF_INET) {
      return "AF_INET";
    } else if (family == Socket.AF_INET6) {
      return "AF_INET6";
    } else if (family == Socket.AF_UNIX) {
      return "AF_UNIX";
    }
    return "family " + family;
  }

  private static String typeName(int type) {
    return type == Socket.SOCK_STREAM ? "SOCK_STREAM" : "SOCK_DGRAM";
  }

  @Override
  public String toString() {
    return handle.toString();
  }
}
