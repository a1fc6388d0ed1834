package dev.poll4j.net;

import dev.poll4j.Source;
import dev.poll4j.internal.posix.NetSocket;
import dev.poll4j.internal.posix.Sockaddr;
import dev.poll4j.internal.posix.SocketIo;
import dev.poll4j.spi.SourceHandle;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Set;

/**
 * A non-blocking UDP socket, IPv4 or IPv6, as a {@link Source}.
 *
 * <p>Made by {@link #bind(InetSocketAddress)}, or by {@link #open(StandardProtocolFamily)}
 * followed by options (such as {@code SO_REUSEPORT}) and {@link #bindTo}. The descriptor is
 * non-blocking and close-on-exec from creation. An {@code INET6} socket is dual-stack where the
 * OS allows it: it reaches IPv4 peers, whose addresses come back as IPv4.
 *
 * <h2>Datagrams</h2>
 *
 * Each send is one datagram, sent whole or not at all; each receive takes one datagram and
 * truncates it to the room in the buffer (the rest is lost). {@link #recvFrom} and {@link
 * #peekFrom} return the sender, or null when no datagram is queued; that tells an empty datagram
 * from would-block. {@link #recv}, {@link #peek} and {@link #send} follow NIO and return the
 * byte count, which is {@code 0} both for an empty datagram and when the call would block. With
 * an edge-triggered registration, receive until would-block (null) before waiting for the next
 * event: that re-arms readiness on backends that emulate edge mode.
 *
 * <p>{@link #connect} fixes the peer: {@link #send} and {@link #recv} then work, datagrams from
 * other senders are dropped, and an ICMP port-unreachable from the peer makes a later call
 * fail with a {@link java.net.PortUnreachableException}. {@link #disconnect()} undoes it.
 *
 * <p>Direct buffers go to the kernel without a copy; heap buffers are copied through a buffer
 * per thread. Sending to the same {@code InetSocketAddress} object again reuses its encoded form,
 * and a datagram from the sender of the previous one (on the same thread) returns the same
 * address object, so a steady exchange allocates nothing. Any thread may call any method; every
 * method throws a {@link java.nio.channels.ClosedChannelException} once the socket is closed.
 */
public final class UdpSocket implements Source, Closeable {
  private static final String KIND = "udp socket";
  private static final Set<SocketOption<?>> OPTIONS =
      Set.of(
          StandardSocketOptions.SO_SNDBUF,
          StandardSocketOptions.SO_RCVBUF,
          StandardSocketOptions.SO_REUSEADDR,
          StandardSocketOptions.SO_REUSEPORT,
          StandardSocketOptions.SO_BROADCAST,
          StandardSocketOptions.IP_TOS,
          StandardSocketOptions.IP_MULTICAST_IF,
          StandardSocketOptions.IP_MULTICAST_TTL,
          StandardSocketOptions.IP_MULTICAST_LOOP,
          NetOptions.IP_TTL);

  private final NetSocket socket;

  private UdpSocket(NetSocket socket) {
    this.socket = socket;
  }

  /**
   * Opens a socket bound to {@code local}; the socket's family follows the address's.
   *
   * @param local the address; port 0 picks an ephemeral port (see {@link #localAddress()})
   * @return the socket
   * @throws java.net.BindException if the address is in use, not local, or privileged
   * @throws IOException if the socket cannot be created
   * @throws java.nio.channels.UnresolvedAddressException if {@code local} is unresolved
   */
  public static UdpSocket bind(InetSocketAddress local) throws IOException {
    Objects.requireNonNull(local, "local");
    NetSocket s = NetSocket.open(Sockaddr.familyOf(local), NetSocket.DATAGRAM, KIND);
    try {
      s.bind(local);
    } catch (IOException | RuntimeException e) {
      TcpStream.closeQuietly(s, e);
      throw e;
    }
    return new UdpSocket(s);
  }

  /**
   * Opens an unbound socket, to set options before {@link #bindTo}. Sending from an unbound
   * socket binds it to an ephemeral port.
   *
   * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}
   * @return the socket
   * @throws IOException if the socket cannot be created (for example without IPv6 support)
   * @throws UnsupportedOperationException for another family
   */
  public static UdpSocket open(StandardProtocolFamily family) throws IOException {
    return new UdpSocket(NetSocket.open(NetSocket.ipFamily(family), NetSocket.DATAGRAM, KIND));
  }

  /**
   * Binds an {@link #open(StandardProtocolFamily) opened} socket.
   *
   * @param local the address; an IPv4 address works on a dual-stack {@code INET6} socket
   * @return this socket
   * @throws java.net.BindException if the address is in use, not local, or privileged
   * @throws IOException if {@code bind} fails otherwise (for example when already bound)
   */
  public UdpSocket bindTo(InetSocketAddress local) throws IOException {
    socket.bind(Objects.requireNonNull(local, "local"));
    return this;
  }

  /**
   * Fixes the peer: sends without an address go there, and only its datagrams are received.
   * Calling it again replaces the peer.
   *
   * @param remote the peer
   * @return this socket
   * @throws IOException if {@code connect} fails (for example a {@link
   *     java.net.NoRouteToHostException}), or the socket is closed
   */
  public UdpSocket connect(InetSocketAddress remote) throws IOException {
    socket.connect(Objects.requireNonNull(remote, "remote"));
    return this;
  }

  /**
   * Dissolves the association made by {@link #connect}; datagrams from anyone are received
   * again. Does nothing on a socket that is not connected.
   *
   * @return this socket
   * @throws IOException if the call fails, or the socket is closed
   */
  public UdpSocket disconnect() throws IOException {
    socket.disconnect();
    return this;
  }

  /**
   * Sends {@code src} as one datagram to {@code target}.
   *
   * @param src the datagram, heap or direct; its position advances to its limit when sent
   * @param target the destination; an IPv4 address works on a dual-stack {@code INET6} socket
   * @return bytes sent (all of {@code src}), or {@code 0} if the send buffer is full (would
   *     block); an empty datagram also gives {@code 0}
   * @throws IOException if the send fails (for example {@code EMSGSIZE} for a datagram too
   *     large, {@code EACCES} for a broadcast without {@code SO_BROADCAST}), or the socket is
   *     closed
   */
  public int sendTo(ByteBuffer src, InetSocketAddress target) throws IOException {
    return SocketIo.send(socket, src, Objects.requireNonNull(target, "target"));
  }

  /**
   * Sends {@code src} as one datagram to the connected peer.
   *
   * @param src the datagram; its position advances to its limit when sent
   * @return bytes sent, or {@code 0} if the send buffer is full (would block); an empty
   *     datagram also gives {@code 0}
   * @throws IOException if the send fails ({@code EDESTADDRREQ} when not connected, a {@link
   *     java.net.PortUnreachableException} after the peer's port was found closed), or the
   *     socket is closed
   */
  public int send(ByteBuffer src) throws IOException {
    return SocketIo.send(socket, src, null);
  }

  /**
   * Receives one datagram and its sender.
   *
   * @param dst the buffer; the datagram is truncated to its remaining room; its position
   *     advances by the count received
   * @return the sender, or null if no datagram is queued (would block)
   * @throws IOException if the call fails, or the socket is closed
   * @throws IllegalArgumentException if {@code dst} is read-only
   */
  public InetSocketAddress recvFrom(ByteBuffer dst) throws IOException {
    return (InetSocketAddress) SocketIo.recvFrom(socket, dst, false);
  }

  /**
   * Like {@link #recvFrom}, but leaves the datagram queued: the next receive returns it again.
   *
   * @param dst the buffer; its position advances by the count peeked
   * @return the sender, or null if no datagram is queued (would block, which re-arms like a
   *     receive)
   * @throws IOException if the call fails, or the socket is closed
   */
  public InetSocketAddress peekFrom(ByteBuffer dst) throws IOException {
    return (InetSocketAddress) SocketIo.recvFrom(socket, dst, true);
  }

  /**
   * Receives one datagram, normally from the connected peer.
   *
   * @param dst the buffer; the datagram is truncated to its remaining room; its position
   *     advances by the count received
   * @return bytes received, {@code 0} for an empty datagram or if none is queued (would block)
   * @throws IOException if the call fails (a {@link java.net.PortUnreachableException} after
   *     the peer's port was found closed), or the socket is closed
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
   * Joins a multicast group.
   *
   * @param group the group; an IPv4 group works on a dual-stack {@code INET6} socket
   * @param networkInterface the interface to join on, or null to let the routing table choose
   * @throws IOException if the kernel refuses (for example {@code EADDRINUSE} when joined
   *     already, {@code ENODEV} when no interface fits), or the socket is closed
   * @throws IllegalArgumentException if {@code group} is not a multicast address, is IPv6 on an
   *     IPv4 socket, or the interface has no IPv4 address for an IPv4 group
   */
  public void joinGroup(InetAddress group, NetworkInterface networkInterface)
      throws IOException {
    socket.membership(true, Objects.requireNonNull(group, "group"), networkInterface);
  }

  /**
   * Leaves a multicast group joined with {@link #joinGroup}.
   *
   * @param group the group
   * @param networkInterface the interface given to {@code joinGroup}
   * @throws IOException if the kernel refuses ({@code EADDRNOTAVAIL} when not joined), or the
   *     socket is closed
   * @throws IllegalArgumentException as for {@link #joinGroup}
   */
  public void leaveGroup(InetAddress group, NetworkInterface networkInterface)
      throws IOException {
    socket.membership(false, Objects.requireNonNull(group, "group"), networkInterface);
  }

  /**
   * The local address.
   *
   * @return the address the socket is bound to (port 0 if unbound)
   * @throws IOException if {@code getsockname} fails, or the socket is closed
   */
  public InetSocketAddress localAddress() throws IOException {
    return (InetSocketAddress) socket.localAddress();
  }

  /**
   * The connected peer's address.
   *
   * @return the address, or null when not connected
   * @throws IOException if {@code getpeername} fails, or the socket is closed
   */
  public InetSocketAddress peerAddress() throws IOException {
    return (InetSocketAddress) socket.peerAddress();
  }

  /**
   * Takes the socket's pending error ({@code SO_ERROR}) and clears it, such as a {@link
   * java.net.PortUnreachableException} after an ICMP port-unreachable.
   *
   * @return the error, or null when none is pending
   * @throws IOException if the error cannot be read, or the socket is closed
   */
  public IOException takeError() throws IOException {
    return socket.takeError();
  }

  /**
   * Sets an option: {@code SO_SNDBUF}, {@code SO_RCVBUF}, {@code SO_REUSEADDR}, {@code
   * SO_REUSEPORT} (both before binding), {@code SO_BROADCAST}, {@code IP_TOS}, {@code
   * IP_MULTICAST_IF}, {@code IP_MULTICAST_TTL}, {@code IP_MULTICAST_LOOP} from {@link
   * StandardSocketOptions}, and {@link NetOptions#IP_TTL}.
   *
   * @param <T> the option's value type
   * @param name the option
   * @param value its value
   * @return this socket
   * @throws IOException if {@code setsockopt} fails, or the socket is closed
   * @throws UnsupportedOperationException if the option is not one of the above
   * @throws IllegalArgumentException if the value is null or out of range
   */
  public <T> UdpSocket setOption(SocketOption<T> name, T value) throws IOException {
    socket.setOption(OPTIONS, name, value);
    return this;
  }

  /**
   * Reads an option (see {@link #setOption}); {@code IP_MULTICAST_IF} is null when unset.
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
   * Ends the registration, if any, and closes the socket (leaving its multicast groups).
   * Idempotent.
   *
   * @throws IOException if {@code close} fails
   */
  @Override
  public void close() throws IOException {
    socket.close();
  }

  @Override
  public String toString() {
    return "UdpSocket[" + socket + "]";
  }
}
