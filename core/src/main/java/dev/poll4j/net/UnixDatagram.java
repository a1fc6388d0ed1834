package dev.poll4j.net;

import dev.poll4j.Source;
import dev.poll4j.internal.posix.NetSocket;
import dev.poll4j.internal.posix.SocketIo;
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
 *
 * <p>{@link #setOption} takes {@code SO_SNDBUF} and {@code SO_RCVBUF} from {@link
 * StandardSocketOptions}.
 */
public final class UnixDatagram extends AbstractDatagram<UnixDatagram, SocketAddress> {
  private static final String KIND = "unix datagram";
  private static final Set<SocketOption<?>> OPTIONS =
      Set.of(StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF);

  private UnixDatagram(NetSocket socket) {
    super(socket, OPTIONS, SocketAddress.class);
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
    checkUnix(local);
    return new UnixDatagram(open(NetSocket.UNIX, NetSocket.DATAGRAM, KIND, s -> s.bind(local)));
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
    socket.connect(checkUnix(remote));
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
    return SocketIo.send(socket, src, checkUnix(target));
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
}
