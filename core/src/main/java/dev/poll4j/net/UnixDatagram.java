package dev.poll4j.net;

import dev.poll4j.Source;
import dev.poll4j.internal.posix.NetSocket;
import dev.poll4j.internal.posix.SocketIo;
import dev.poll4j.spi.SourceHandle;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Set;

/**
 * A non-blocking Unix domain datagram socket, as a {@link Source}.
 *
 * <p>Made by {@link #bind(SocketAddress)} (a path or, on Linux, an abstract name), {@link
 * #unbound()}, or as one end of a {@link #pair()}. The descriptor is non-blocking and
 * close-on-exec from creation.
 *
 * <p>Datagrams work as for {@link UdpSocket}: each send is one datagram, sent whole or not at
 * all, and {@code 0} when the receiver's queue is full (would block); each receive takes one
 * datagram, truncated to the room in the buffer. {@link #recvFrom} returns the sender (an empty
 * {@link UnixDomainSocketAddress} when the sender is unnamed), or null when nothing is queued,
 * which tells an empty datagram from would-block. Receive until would-block before waiting for
 * the next edge-triggered event.
 *
 * <p>Binding to a path creates the socket file; closing does not delete it. Any thread may call
 * any method; every method throws a {@link java.nio.channels.ClosedChannelException} once the
 * socket is closed.
 */
public final class UnixDatagram implements Source, Closeable {
  private static final String KIND = "unix datagram";
  private static final Set<SocketOption<?>> OPTIONS =
      Set.of(StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF);

  private final NetSocket socket;

  private UnixDatagram(NetSocket socket) {
    this.socket = socket;
  }

  /**
   * Opens a socket bound to a file-system path.
   *
   * @param path the socket file to create
   * @return the socket
   * @throws java.net.BindException if the path exists or its directory is not writable
   * @throws IOException if the socket cannot be created or bound
   */
  public static UnixDatagram bind(Path path) throws IOException {
    return bind(UnixDomainSocketAddress.of(path));
  }

  /**
   * Opens a socket bound to a path or an abstract name.
   *
   * @param local a {@link UnixDomainSocketAddress} or a {@link UnixAbstractAddress}; an empty
   *     path binds to a name the kernel picks in the abstract namespace (Linux), so that peers
   *     can answer
   * @return the socket
   * @throws java.net.BindException if the address is in use
   * @throws IOException if the socket cannot be created or bound
   * @throws java.nio.channels.UnsupportedAddressTypeException for another address type
   */
  public static UnixDatagram bind(SocketAddress local) throws IOException {
    UnixStream.checkUnix(local);
    NetSocket s = NetSocket.open(NetSocket.UNIX, NetSocket.DATAGRAM, KIND);
    try {
      s.bind(local);
    } catch (IOException | RuntimeException e) {
      TcpStream.closeQuietly(s, e);
      throw e;
    }
    return new UnixDatagram(s);
  }

  /**
   * Opens an unbound socket: it can send, but peers cannot answer it unless it connects to
   * them or is bound.
   *
   * @return the socket
   * @throws IOException if the socket cannot be created
   */
  public static UnixDatagram unbound() throws IOException {
    return new UnixDatagram(NetSocket.open(NetSocket.UNIX, NetSocket.DATAGRAM, KIND));
  }

  /**
   * Creates a connected pair of unnamed datagram sockets ({@code socketpair}).
   *
   * @return the two ends, in an array of length 2
   * @throws IOException if {@code socketpair} fails
   */
  public static UnixDatagram[] pair() throws IOException {
    NetSocket[] s = NetSocket.pair(NetSocket.DATAGRAM, KIND);
    return new UnixDatagram[] {new UnixDatagram(s[0]), new UnixDatagram(s[1])};
  }

  /**
   * Fixes the peer: sends without an address go there, and only its datagrams are received.
   *
   * @param remote a {@link UnixDomainSocketAddress} or a {@link UnixAbstractAddress}
   * @return this socket
   * @throws java.net.ConnectException if no socket is bound there
   * @throws IOException if {@code connect} fails otherwise, or the socket is closed
   * @throws java.nio.channels.UnsupportedAddressTypeException for another address type
   */
  public UnixDatagram connect(SocketAddress remote) throws IOException {
    UnixStream.checkUnix(remote);
    socket.connect(remote);
    return this;
  }

  /**
   * Sends {@code src} as one datagram to {@code target}.
   *
   * @param src the datagram, heap or direct; its position advances to its limit when sent
   * @param target a {@link UnixDomainSocketAddress} or a {@link UnixAbstractAddress}
   * @return bytes sent (all of {@code src}), or {@code 0} if the receiver's queue is full (would
   *     block); an empty datagram also gives {@code 0}
   * @throws java.net.ConnectException if no socket is bound at {@code target}
   * @throws IOException if the send fails otherwise, or the socket is closed
   * @throws java.nio.channels.UnsupportedAddressTypeException for another address type
   */
  public int sendTo(ByteBuffer src, SocketAddress target) throws IOException {
    UnixStream.checkUnix(target);
    return SocketIo.send(socket, src, target);
  }

  /**
   * Sends {@code src} as one datagram to the connected peer.
   *
   * @param src the datagram; its position advances to its limit when sent
   * @return bytes sent, or {@code 0} if the receiver's queue is full (would block); an empty
   *     datagram also gives {@code 0}
   * @throws IOException if the send fails (for example a {@link java.net.ConnectException} when
   *     the peer is gone), or the socket is closed
   */
  public int send(ByteBuffer src) throws IOException {
    return SocketIo.send(socket, src, null);
  }

  /**
   * Receives one datagram and its sender.
   *
   * @param dst the buffer; the datagram is truncated to its remaining room; its position
   *     advances by the count received
   * @return the sender (an empty {@link UnixDomainSocketAddress} when unnamed), or null if no
   *     datagram is queued (would block)
   * @throws IOException if the call fails, or the socket is closed
   * @throws IllegalArgumentException if {@code dst} is read-only
   */
  public SocketAddress recvFrom(ByteBuffer dst) throws IOException {
    return SocketIo.recvFrom(socket, dst, false);
  }

  /**
   * Like {@link #recvFrom}, but leaves the datagram queued.
   *
   * @param dst the buffer; its position advances by the count peeked
   * @return the sender, or null if no datagram is queued (would block, which re-arms like a
   *     receive)
   * @throws IOException if the call fails, or the socket is closed
   */
  public SocketAddress peekFrom(ByteBuffer dst) throws IOException {
    return SocketIo.recvFrom(socket, dst, true);
  }

  /**
   * Receives one datagram.
   *
   * @param dst the buffer; the datagram is truncated to its remaining room; its position
   *     advances by the count received
   * @return bytes received, {@code 0} for an empty datagram or if none is queued (would block)
   * @throws IOException if the call fails, or the socket is closed
   */
  public int recv(ByteBuffer dst) throws IOException {
    return SocketIo.recv(socket, dst, false);
  }

  /**
   * Like {@link #recv}, but leaves the datagram queued.
   *
   * @param dst the buffer; its position advances by the count peeked
   * @return bytes peeked, {@code 0} for an empty datagram or if none is queued (would block)
   * @throws IOException if the call fails, or the socket is closed
   */
  public int peek(ByteBuffer dst) throws IOException {
    return SocketIo.recv(socket, dst, true);
  }

  /**
   * Shuts down receiving: later receives return {@code 0} at once.
   *
   * @throws IOException if {@code shutdown} fails, or the socket is closed
   */
  public void shutdownInput() throws IOException {
    socket.shutdown(NetSocket.SHUT_RD);
  }

  /**
   * Shuts down sending: later sends fail with {@code EPIPE}.
   *
   * @throws IOException if {@code shutdown} fails, or the socket is closed
   */
  public void shutdownOutput() throws IOException {
    socket.shutdown(NetSocket.SHUT_WR);
  }

  /**
   * The local address.
   *
   * @return a {@link UnixDomainSocketAddress} (empty path when unbound) or a {@link
   *     UnixAbstractAddress}
   * @throws IOException if {@code getsockname} fails, or the socket is closed
   */
  public SocketAddress localAddress() throws IOException {
    return socket.localAddress();
  }

  /**
   * The connected peer's address.
   *
   * @return the address (an empty {@link UnixDomainSocketAddress} for an unnamed peer), or null
   *     when not connected
   * @throws IOException if {@code getpeername} fails, or the socket is closed
   */
  public SocketAddress peerAddress() throws IOException {
    return socket.peerAddress();
  }

  /**
   * Takes the socket's pending error ({@code SO_ERROR}) and clears it.
   *
   * @return the error, or null when none is pending
   * @throws IOException if the error cannot be read, or the socket is closed
   */
  public IOException takeError() throws IOException {
    return socket.takeError();
  }

  /**
   * Sets an option: {@code SO_SNDBUF} or {@code SO_RCVBUF} from {@link StandardSocketOptions}.
   *
   * @param <T> the option's value type
   * @param name the option
   * @param value its value
   * @return this socket
   * @throws IOException if {@code setsockopt} fails, or the socket is closed
   * @throws UnsupportedOperationException for another option
   * @throws IllegalArgumentException if the value is null or out of range
   */
  public <T> UnixDatagram setOption(SocketOption<T> name, T value) throws IOException {
    socket.setOption(OPTIONS, name, value);
    return this;
  }

  /**
   * Reads an option (see {@link #setOption}).
   *
   * @param <T> the option's value type
   * @param name the option
   * @return its value
   * @throws IOException if {@code getsockopt} fails, or the socket is closed
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
   * Whether the socket is open.
   *
   * @return false once closed
   */
  public boolean isOpen() {
    return socket.isOpen();
  }

  @Override
  public SourceHandle handle() {
    return socket.handle();
  }

  /**
   * Ends the registration, if any, and closes the socket. Idempotent. The socket file, if any,
   * stays.
   *
   * @throws IOException if {@code close} fails
   */
  @Override
  public void close() throws IOException {
    socket.close();
  }

  @Override
  public String toString() {
    return "UnixDatagram[" + socket + "]";
  }
}
