package dev.poll4j.net;

import dev.poll4j.Source;
import dev.poll4j.internal.posix.NetSocket;
import dev.poll4j.internal.posix.Sockaddr;
import dev.poll4j.internal.posix.SocketIo;
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
 *
 * <h2>Options and closing</h2>
 *
 * {@link #setOption} takes {@code SO_SNDBUF}, {@code SO_RCVBUF}, {@code SO_REUSEADDR} and {@code
 * SO_REUSEPORT} (both before binding), {@code SO_BROADCAST}, {@code IP_TOS}, {@code
 * IP_MULTICAST_IF} ({@link #getOption} returns null when unset), {@code IP_MULTICAST_TTL} and
 * {@code IP_MULTICAST_LOOP} from {@link StandardSocketOptions}, and {@link NetOptions#IP_TTL}.
 * Closing the socket leaves its multicast groups.
 */
public final class UdpSocket extends AbstractDatagram<UdpSocket, InetSocketAddress> {
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

  private UdpSocket(NetSocket socket) {
    super(socket, OPTIONS, InetSocketAddress.class);
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
    return new UdpSocket(
        open(Sockaddr.familyOf(local), NetSocket.DATAGRAM, KIND, s -> s.bind(local)));
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
}
