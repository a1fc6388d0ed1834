package dev.poll4j.net;

import dev.poll4j.Source;
import dev.poll4j.internal.posix.NetSocket;
import dev.poll4j.internal.posix.SocketIo;
import dev.poll4j.spi.SourceHandle;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * A non-blocking Unix domain stream connection, as a {@link Source}.
 *
 * <p>Made by {@link #connect(SocketAddress)} (to a path or, on Linux, an abstract name), by
 * {@link UnixListener#accept()}, or as one end of a {@link #pair()}. The descriptor is
 * non-blocking and close-on-exec from creation.
 *
 * <p>I/O works as for {@link TcpStream}: {@code read} and {@code write} return the byte count,
 * {@code 0} when the call would block, and {@code read} returns {@code -1} at end of stream;
 * drain to would-block before waiting for the next edge-triggered event; {@link #peek} does not
 * consume. Direct buffers go to the kernel without a copy, heap buffers through a buffer per
 * thread. Writes never raise {@code SIGPIPE}: writing after the peer closed fails with an
 * {@link IOException} ({@code EPIPE}).
 *
 * <p>Addresses are {@link UnixDomainSocketAddress}es (an empty path for an unnamed socket, such
 * as either end of a pair or a connecting client) or {@link UnixAbstractAddress}es. Any thread
 * may call any method; every method throws a {@link java.nio.channels.ClosedChannelException}
 * once the stream is closed.
 */
public final class UnixStream
    implements Source, ByteChannel, ScatteringByteChannel, GatheringByteChannel {
  static final String KIND = "unix stream";
  private static final Set<SocketOption<?>> OPTIONS =
      Set.of(StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF);

  private final NetSocket socket;

  UnixStream(NetSocket socket) {
    this.socket = socket;
  }

  /**
   * Connects to the listener at a file-system path.
   *
   * @param path the socket file
   * @return the stream, connected (Linux completes Unix connects at once)
   * @throws java.net.ConnectException if nothing listens there
   * @throws IOException if the connect fails otherwise (for example {@code ENOENT}, or {@code
   *     EAGAIN} when the listener's accept queue is full)
   */
  public static UnixStream connect(Path path) throws IOException {
    return connect(UnixDomainSocketAddress.of(path));
  }

  /**
   * Connects to the listener at a path or an abstract name.
   *
   * @param remote a {@link UnixDomainSocketAddress} or a {@link UnixAbstractAddress}
   * @return the stream, connected or (on systems that queue Unix connects) connecting; see
   *     {@link #finishConnect()}
   * @throws java.net.ConnectException if nothing listens there
   * @throws IOException if the connect fails otherwise
   * @throws UnsupportedAddressTypeException for another address type
   */
  public static UnixStream connect(SocketAddress remote) throws IOException {
    checkUnix(remote);
    NetSocket s = NetSocket.open(NetSocket.UNIX, NetSocket.STREAM, KIND);
    try {
      s.connect(remote);
    } catch (IOException | RuntimeException e) {
      TcpStream.closeQuietly(s, e);
      throw e;
    }
    return new UnixStream(s);
  }

  /**
   * Creates a connected pair of unnamed streams ({@code socketpair}).
   *
   * @return the two ends, in an array of length 2; what one writes the other reads
   * @throws IOException if {@code socketpair} fails
   */
  public static UnixStream[] pair() throws IOException {
    NetSocket[] s = NetSocket.pair(NetSocket.STREAM, KIND);
    return new UnixStream[] {new UnixStream(s[0]), new UnixStream(s[1])};
  }

  static void checkUnix(SocketAddress address) {
    if (!(Objects.requireNonNull(address, "address") instanceof UnixDomainSocketAddress
        || address instanceof UnixAbstractAddress)) {
      throw new UnsupportedAddressTypeException();
    }
  }

  /**
   * Completes the connection: true once established (always, on Linux).
   *
   * @return whether the stream is connected
   * @throws java.net.ConnectException if the connection was refused
   * @throws IOException if it failed otherwise, or the stream is closed
   */
  public boolean finishConnect() throws IOException {
    return socket.finishConnect();
  }

  /**
   * Takes the socket's pending error ({@code SO_ERROR}) and clears it.
   *
   * @return the error, or null when none is pending
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
   * Reads into {@code dst} without removing the bytes from the socket ({@code MSG_PEEK}).
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
   * @throws IOException if the write fails ({@code EPIPE}), or the stream is closed
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
   * Shuts down the read half: later reads return {@code -1}.
   *
   * @throws IOException if {@code shutdown} fails, or the stream is closed
   */
  public void shutdownInput() throws IOException {
    socket.shutdown(NetSocket.SHUT_RD);
  }

  /**
   * Shuts down the write half: the peer reads end of stream once it has read what was sent.
   *
   * @throws IOException if {@code shutdown} fails, or the stream is closed
   */
  public void shutdownOutput() throws IOException {
    socket.shutdown(NetSocket.SHUT_WR);
  }

  /**
   * The local address.
   *
   * @return a {@link UnixDomainSocketAddress} (empty path when unnamed) or a {@link
   *     UnixAbstractAddress}
   * @throws IOException if {@code getsockname} fails, or the stream is closed
   */
  public SocketAddress localAddress() throws IOException {
    return socket.localAddress();
  }

  /**
   * The peer's address.
   *
   * @return a {@link UnixDomainSocketAddress} (empty path when the peer is unnamed) or a {@link
   *     UnixAbstractAddress}; null when not connected
   * @throws IOException if {@code getpeername} fails, or the stream is closed
   */
  public SocketAddress peerAddress() throws IOException {
    return socket.peerAddress();
  }

  /**
   * Sets an option: {@code SO_SNDBUF} or {@code SO_RCVBUF} from {@link StandardSocketOptions}.
   *
   * @param <T> the option's value type
   * @param name the option
   * @param value its value
   * @return this stream
   * @throws IOException if {@code setsockopt} fails, or the stream is closed
   * @throws UnsupportedOperationException for another option
   * @throws IllegalArgumentException if the value is null or out of range
   */
  public <T> UnixStream setOption(SocketOption<T> name, T value) throws IOException {
    socket.setOption(OPTIONS, name, value);
    return this;
  }

  /**
   * Reads an option (see {@link #setOption}).
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
   * Ends the registration, if any, and closes the socket. Idempotent.
   *
   * @throws IOException if {@code close} fails
   */
  @Override
  public void close() throws IOException {
    socket.close();
  }

  @Override
  public String toString() {
    return "UnixStream[" + socket + "]";
  }
}
