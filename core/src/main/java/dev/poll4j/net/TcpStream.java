package dev.poll4j.net;

import dev.poll4j.Source;
import dev.poll4j.internal.posix.NetSocket;
import dev.poll4j.internal.posix.Sockaddr;
import dev.poll4j.internal.posix.SocketIo;
import dev.poll4j.spi.SourceHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.util.Objects;
import java.util.Set;

/**
 * A non-blocking TCP connection, IPv4 or IPv6, as a {@link Source}.
 *
 * <p>Made by {@link #connect(InetSocketAddress)}, by {@link TcpListener#accept()}, or by {@link
 * #open(StandardProtocolFamily)} followed by options, {@link #bindTo} and {@link #beginConnect}.
 * The descriptor is non-blocking and close-on-exec from creation.
 *
 * <h2>Connecting</h2>
 *
 * A connect returns at once; the connection is established in the background. Register the
 * stream for {@link dev.poll4j.Interest#WRITABLE}: when the attempt ends the stream becomes
 * writable (with an error or hang-up bit if it failed). Then call {@link #finishConnect()},
 * which returns true once connected and throws a {@link java.net.ConnectException} if the peer
 * refused; or call {@link #takeError()}, which returns that error without throwing. Reads and
 * writes before the connection is established return {@code 0}.
 *
 * <h2>I/O</h2>
 *
 * The {@code read} and {@code write} methods follow NIO's conventions for non-blocking channels:
 * they return the number of bytes moved, {@code 0} when the call would block, and {@code read}
 * returns {@code -1} at end of stream (the peer shut down its output, or {@link
 * #shutdownInput()} was called). Would-block never throws and allocates nothing. With an
 * edge-triggered registration, keep calling until {@code 0} (would block) before waiting for the
 * next event: that is what re-arms readiness on backends that emulate edge mode ({@link
 * dev.poll4j.Poll#emulatesEdge()}). {@link #peek} reads without consuming; when it would block
 * it re-arms like {@code read}, and a successful peek leaves readiness alone.
 *
 * <p>Direct buffers go to the kernel without a copy. Heap buffers are copied through a buffer
 * per thread, reused, so a heap-buffer call moves at most 1 MiB. Writes never raise {@code
 * SIGPIPE}: writing to a connection the peer has closed fails with an {@link IOException}
 * ({@code EPIPE}). A connection reset by the peer makes reads and writes fail with a {@link
 * java.net.SocketException} whose message is {@code "Connection reset"}. Every method throws a
 * {@link java.nio.channels.ClosedChannelException} once the stream is closed.
 *
 * <h2>Threads</h2>
 *
 * Any thread may call any method. Concurrent reads (or concurrent writes) on one stream are not
 * ordered with respect to each other. Do not close a stream while another thread is inside one
 * of its calls: the descriptor number may be reused by then.
 */
public final class TcpStream
    implements Source, ByteChannel, ScatteringByteChannel, GatheringByteChannel {
  static final String KIND = "tcp stream";
  private static final Set<SocketOption<?>> OPTIONS =
      Set.of(
          StandardSocketOptions.SO_SNDBUF,
          StandardSocketOptions.SO_RCVBUF,
          StandardSocketOptions.SO_KEEPALIVE,
          StandardSocketOptions.SO_REUSEADDR,
          StandardSocketOptions.SO_REUSEPORT,
          StandardSocketOptions.SO_LINGER,
          StandardSocketOptions.TCP_NODELAY,
          StandardSocketOptions.IP_TOS,
          NetOptions.IP_TTL);

  private final NetSocket socket;

  TcpStream(NetSocket socket) {
    this.socket = socket;
  }

  /**
   * Opens a stream and starts connecting it to {@code remote}; the socket's family follows the
   * address's.
   *
   * @param remote the peer, a resolved IPv4 or IPv6 address
   * @return the stream, connected or connecting; see {@link #finishConnect()}
   * @throws java.net.ConnectException if the peer refused at once (usually the refusal is
   *     reported later, through {@link #finishConnect()} or {@link #takeError()})
   * @throws IOException if the socket cannot be created or the connect fails at once
   * @throws java.nio.channels.UnresolvedAddressException if {@code remote} is unresolved
   */
  public static TcpStream connect(InetSocketAddress remote) throws IOException {
    Objects.requireNonNull(remote, "remote");
    NetSocket s = NetSocket.open(Sockaddr.familyOf(remote), NetSocket.STREAM, KIND);
    try {
      s.connect(remote);
    } catch (IOException | RuntimeException e) {
      closeQuietly(s, e);
      throw e;
    }
    return new TcpStream(s);
  }

  /**
   * Opens an unconnected stream, to set options or bind it before {@link #beginConnect}. An
   * {@code INET6} stream is dual-stack where the OS allows it: it can also connect to IPv4
   * addresses.
   *
   * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}
   * @return the stream
   * @throws IOException if the socket cannot be created (for example without IPv6 support)
   * @throws UnsupportedOperationException for another family
   */
  public static TcpStream open(StandardProtocolFamily family) throws IOException {
    return new TcpStream(NetSocket.open(NetSocket.ipFamily(family), NetSocket.STREAM, KIND));
  }

  /**
   * Binds the unconnected stream to a local address before it connects.
   *
   * @param local the local address; port 0 picks an ephemeral port
   * @return this stream
   * @throws java.net.BindException if the address is in use or not local
   * @throws IOException if {@code bind} fails otherwise, or the stream is closed
   */
  public TcpStream bindTo(InetSocketAddress local) throws IOException {
    socket.bind(Objects.requireNonNull(local, "local"));
    return this;
  }

  /**
   * Starts connecting an {@link #open(StandardProtocolFamily) opened} stream.
   *
   * @param remote the peer; an IPv4 address works on a dual-stack {@code INET6} stream
   * @return true if the connection was established at once, false if it is in progress
   * @throws java.net.ConnectException if the peer refused at once
   * @throws IOException if the connect fails at once otherwise, or the stream is closed
   */
  public boolean beginConnect(InetSocketAddress remote) throws IOException {
    return socket.connect(Objects.requireNonNull(remote, "remote"));
  }

  /**
   * Completes the connection: true once it is established, false while it is in progress.
   * Returns true at once for an accepted stream and for every later call.
   *
   * @return whether the stream is connected
   * @throws java.net.ConnectException if the connection was refused or timed out, or failed
   *     with its error already taken by {@link #takeError()}
   * @throws IOException if it failed otherwise (for example a {@link
   *     java.net.NoRouteToHostException}), or the stream is closed
   */
  public boolean finishConnect() throws IOException {
    return socket.finishConnect();
  }

  /**
   * Takes the socket's pending error ({@code SO_ERROR}) and clears it; after a failed connect,
   * the reason it failed.
   *
   * @return the error, such as a {@link java.net.ConnectException}, or null when none is pending
   * @throws IOException if the error cannot be read, or the stream is closed
   */
  public IOException takeError() throws IOException {
    return socket.takeError();
  }

  /**
   * Reads into {@code dst}, from its position up to its limit.
   *
   * @param dst the buffer, heap or direct; its position advances by the count read
   * @return bytes read; {@code 0} if none is available (would block) or {@code dst} is full;
   *     {@code -1} at end of stream
   * @throws IOException if the read fails, or the stream is closed
   * @throws IllegalArgumentException if {@code dst} is read-only
   */
  @Override
  public int read(ByteBuffer dst) throws IOException {
    return SocketIo.read(socket, dst, false);
  }

  /**
   * Reads into a sequence of buffers, filling each in turn (one {@code recvmsg}).
   *
   * @param dsts the buffers
   * @param offset the first buffer to fill
   * @param length how many buffers to fill
   * @return bytes read; {@code 0} if none is available (would block) or the buffers are full;
   *     {@code -1} at end of stream
   * @throws IOException if the read fails, or the stream is closed
   * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit {@code dsts}
   */
  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return SocketIo.read(socket, dsts, offset, length);
  }

  /**
   * Reads into all of {@code dsts}, filling each in turn.
   *
   * @param dsts the buffers
   * @return as {@link #read(ByteBuffer[], int, int)}
   * @throws IOException if the read fails, or the stream is closed
   */
  @Override
  public long read(ByteBuffer[] dsts) throws IOException {
    return SocketIo.read(socket, dsts, 0, dsts.length);
  }

  /**
   * Reads into {@code dst} without removing the bytes from the socket ({@code MSG_PEEK}): the
   * next read returns them again.
   *
   * @param dst the buffer; its position advances by the count peeked
   * @return bytes peeked; {@code 0} if none is available (would block, which re-arms like a
   *     read) or {@code dst} is full; {@code -1} at end of stream
   * @throws IOException if the call fails, or the stream is closed
   */
  public int peek(ByteBuffer dst) throws IOException {
    return SocketIo.read(socket, dst, true);
  }

  /**
   * Writes from {@code src}, from its position up to its limit.
   *
   * @param src the buffer, heap or direct; its position advances by the count written
   * @return bytes written, possibly fewer than remaining; {@code 0} if the send buffer is full
   *     (would block) or {@code src} is empty
   * @throws IOException if the write fails ({@code EPIPE}, a reset), or the stream is closed
   */
  @Override
  public int write(ByteBuffer src) throws IOException {
    return SocketIo.write(socket, src);
  }

  /**
   * Writes from a sequence of buffers, draining each in turn (one {@code sendmsg}).
   *
   * @param srcs the buffers
   * @param offset the first buffer to write
   * @param length how many buffers to write
   * @return bytes written; {@code 0} if the send buffer is full (would block) or the buffers are
   *     empty
   * @throws IOException if the write fails, or the stream is closed
   * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit {@code srcs}
   */
  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    return SocketIo.write(socket, srcs, offset, length);
  }

  /**
   * Writes from all of {@code srcs}, draining each in turn.
   *
   * @param srcs the buffers
   * @return as {@link #write(ByteBuffer[], int, int)}
   * @throws IOException if the write fails, or the stream is closed
   */
  @Override
  public long write(ByteBuffer[] srcs) throws IOException {
    return SocketIo.write(socket, srcs, 0, srcs.length);
  }

  /**
   * Sends one byte of TCP urgent ("out-of-band") data ({@code MSG_OOB}). A peer registered for
   * {@link dev.poll4j.Interest#PRIORITY} gets a priority event where the OS reports it.
   *
   * @param data the byte, in the low 8 bits
   * @return true if sent, false if the send buffer is full (would block)
   * @throws IOException if the send fails, or the stream is closed
   */
  public boolean sendUrgentData(int data) throws IOException {
    return SocketIo.sendUrgent(socket, data);
  }

  /**
   * Receives the byte of urgent data the peer sent last ({@code MSG_OOB}). A priority event
   * stays pending until it is taken; with an edge-triggered {@code PRIORITY} registration on a
   * backend that emulates edge mode, take it, or the priority event may repeat.
   *
   * @return the byte (0 to 255), or {@code -1} if none is pending
   * @throws IOException if the call fails, or the stream is closed
   */
  public int readUrgentData() throws IOException {
    return SocketIo.recvUrgent(socket);
  }

  /**
   * Shuts down the read half: later reads return {@code -1}, and data arriving later is
   * discarded. Shutting down a stream that is no longer connected (after a reset) does nothing.
   *
   * @throws IOException if {@code shutdown} fails, or the stream is closed
   */
  public void shutdownInput() throws IOException {
    socket.shutdown(NetSocket.SHUT_RD);
  }

  /**
   * Shuts down the write half: the peer reads end of stream once it has read what was sent,
   * and later writes fail. The stream stays open for reading.
   *
   * @throws IOException if {@code shutdown} fails, or the stream is closed
   */
  public void shutdownOutput() throws IOException {
    socket.shutdown(NetSocket.SHUT_WR);
  }

  /**
   * The local address.
   *
   * @return the address the stream is bound to (port 0 and the wildcard address if unbound);
   *     IPv4-mapped addresses of a dual-stack stream come back as IPv4
   * @throws IOException if {@code getsockname} fails, or the stream is closed
   */
  public InetSocketAddress localAddress() throws IOException {
    return (InetSocketAddress) socket.localAddress();
  }

  /**
   * The peer's address.
   *
   * @return the address, or null while not connected
   * @throws IOException if {@code getpeername} fails, or the stream is closed
   */
  public InetSocketAddress peerAddress() throws IOException {
    return (InetSocketAddress) socket.peerAddress();
  }

  /**
   * Sets an option: {@code SO_SNDBUF}, {@code SO_RCVBUF}, {@code SO_KEEPALIVE}, {@code
   * SO_REUSEADDR}, {@code SO_REUSEPORT}, {@code SO_LINGER} (seconds; negative turns it off; 0
   * makes {@code close} reset the connection), {@code TCP_NODELAY}, {@code IP_TOS} from {@link
   * StandardSocketOptions}, and {@link NetOptions#IP_TTL}.
   *
   * @param <T> the option's value type
   * @param name the option
   * @param value its value
   * @return this stream
   * @throws IOException if {@code setsockopt} fails, or the stream is closed
   * @throws UnsupportedOperationException if the option is not one of the above
   * @throws IllegalArgumentException if the value is null or out of range
   */
  public <T> TcpStream setOption(SocketOption<T> name, T value) throws IOException {
    socket.setOption(OPTIONS, name, value);
    return this;
  }

  /**
   * Reads an option (see {@link #setOption}). Buffer sizes are the kernel's values, which
   * Linux doubles from what was set; {@code SO_LINGER} is {@code -1} when off.
   *
   * @param <T> the option's value type
   * @param name the option
   * @return its value
   * @throws IOException if {@code getsockopt} fails, or the stream is closed
   * @throws UnsupportedOperationException if the option is not supported
   */
  public <T> T getOption(SocketOption<T> name) throws IOException {
    return socket.getOption(OPTIONS, name);
  }

  /**
   * The options {@link #setOption} and {@link #getOption} accept.
   *
   * @return an immutable set
   */
  public Set<SocketOption<?>> supportedOptions() {
    return OPTIONS;
  }

  /**
   * The descriptor.
   *
   * @return the descriptor, valid until {@link #close()}
   */
  public int fd() {
    return socket.fd();
  }

  /**
   * Whether the stream is open.
   *
   * @return false once closed
   */
  @Override
  public boolean isOpen() {
    return socket.isOpen();
  }

  @Override
  public SourceHandle handle() {
    return socket.handle();
  }

  /**
   * Ends the registration, if any, and closes the socket. Idempotent. Unsent data is still sent
   * in the background, unless {@code SO_LINGER} is 0, in which case the connection is reset.
   *
   * @throws IOException if {@code close} fails
   */
  @Override
  public void close() throws IOException {
    socket.close();
  }

  @Override
  public String toString() {
    return "TcpStream[" + socket + "]";
  }

  static void closeQuietly(NetSocket s, Throwable primary) {
    try {
      s.close();
    } catch (IOException e) {
      primary.addSuppressed(e);
    }
  }
}
