package dev.poll4j.net;

import dev.poll4j.internal.posix.NetSocket;
import dev.poll4j.internal.posix.SocketIo;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.util.Set;

/**
 * A connected stream socket: {@link TcpStream} and {@link UnixStream}. Connecting, reading,
 * writing, peeking, half-closing and the peer's address, with NIO's conventions (see the
 * package description); the public members appear in the javadoc of both types as their own.
 *
 * @param <S> the public stream type
 * @param <A> its address type
 */
abstract class AbstractStream<S extends AbstractStream<S, A>, A extends SocketAddress>
    extends AbstractSocket<S, A>
    implements ByteChannel, ScatteringByteChannel, GatheringByteChannel {

  AbstractStream(NetSocket socket, Set<SocketOption<?>> options, Class<A> addressType) {
    super(socket, options, addressType);
  }

  /**
   * Completes the connection: true once it is established, false while it is in progress (a
   * Unix domain stream on Linux is connected at once). Returns true at once for an accepted
   * stream, for either end of a pair, and for every later call.
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
   * The peer's address.
   *
   * @return the address, or null while not connected; for a Unix domain stream, an empty {@link
   *     java.net.UnixDomainSocketAddress} when the peer is unnamed
   * @throws IOException if {@code getpeername} fails, or the stream is closed
   */
  public A peerAddress() throws IOException {
    return address(socket.peerAddress());
  }
}
