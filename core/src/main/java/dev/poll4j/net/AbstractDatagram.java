package dev.poll4j.net;

import dev.poll4j.internal.posix.NetSocket;
import dev.poll4j.internal.posix.SocketIo;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * A datagram socket: {@link UdpSocket} and {@link UnixDatagram}. Sending to the connected peer,
 * receiving and peeking, with or without the sender's address; the public members appear in
 * the javadoc of both types as their own. Sending to an address and connecting stay with each
 * type, which checks its own address kind.
 *
 * <p>Each send is one datagram, sent whole or not at all; each receive takes one datagram and
 * truncates it to the room in the buffer (the rest is lost).
 *
 * @param <S> the public datagram socket type
 * @param <A> its address type
 */
abstract class AbstractDatagram<S extends AbstractDatagram<S, A>, A extends SocketAddress>
    extends AbstractSocket<S, A> {

  AbstractDatagram(NetSocket socket, Set<SocketOption<?>> options, Class<A> addressType) {
    super(socket, options, addressType);
  }

  /**
   * Sends {@code src} as one datagram to the connected peer.
   *
   * @param src the datagram, heap or direct; its position advances to its limit when sent
   * @return bytes sent (all of {@code src}), or {@code 0} if the send buffer (for a Unix domain
   *     socket, the receiver's queue) is full (would block); an empty datagram also gives {@code
   *     0}
   * @throws IOException if the send fails ({@code EDESTADDRREQ} when not connected; a {@link
   *     java.net.PortUnreachableException} after the peer's UDP port was found closed; a {@link
   *     java.net.ConnectException} when the Unix domain peer is gone), or the socket is closed
   */
  public int send(ByteBuffer src) throws IOException {
    return SocketIo.send(socket, src, null);
  }

  /**
   * Receives one datagram and its sender. The sender tells an empty datagram from would-block.
   *
   * @param dst the buffer; the datagram is truncated to its remaining room; its position
   *     advances by the count received
   * @return the sender (an empty {@link java.net.UnixDomainSocketAddress} for an unnamed Unix
   *     domain sender), or null if no datagram is queued (would block). A datagram from the
   *     sender of the previous one, received on the same thread, returns the same address
   *     object.
   * @throws IOException if the call fails, or the socket is closed
   * @throws IllegalArgumentException if {@code dst} is read-only
   */
  public A recvFrom(ByteBuffer dst) throws IOException {
    return address(SocketIo.recvFrom(socket, dst, false));
  }

  /**
   * Like {@link #recvFrom}, but leaves the datagram queued: the next receive returns it again.
   *
   * @param dst the buffer; its position advances by the count peeked
   * @return the sender, or null if no datagram is queued (would block, which re-arms like a
   *     receive)
   * @throws IOException if the call fails, or the socket is closed
   */
  public A peekFrom(ByteBuffer dst) throws IOException {
    return address(SocketIo.recvFrom(socket, dst, true));
  }

  /**
   * Receives one datagram, normally from the connected peer.
   *
   * @param dst the buffer; the datagram is truncated to its remaining room; its position
   *     advances by the count received
   * @return bytes received, {@code 0} for an empty datagram or if none is queued (would block)
   * @throws IOException if the call fails (a {@link java.net.PortUnreachableException} after
   *     the peer's UDP port was found closed), or the socket is closed
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
   * The connected peer's address.
   *
   * @return the address (an empty {@link java.net.UnixDomainSocketAddress} for an unnamed Unix
   *     domain peer), or null when not connected
   * @throws IOException if {@code getpeername} fails, or the socket is closed
   */
  public A peerAddress() throws IOException {
    return address(socket.peerAddress());
  }
}
