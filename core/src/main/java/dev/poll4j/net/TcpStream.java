package dev.poll4j.net;

import dev.poll4j.Source;
import dev.poll4j.internal.posix.NetSocket;
import dev.poll4j.internal.posix.Sockaddr;
import dev.poll4j.internal.posix.SocketIo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
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
 *
 * <h2>Options and closing</h2>
 *
 * {@link #setOption} takes {@code SO_SNDBUF}, {@code SO_RCVBUF}, {@code SO_KEEPALIVE}, {@code
 * SO_REUSEADDR}, {@code SO_REUSEPORT}, {@code SO_LINGER}, {@code TCP_NODELAY} and {@code IP_TOS}
 * from {@link StandardSocketOptions}, and {@link NetOptions#IP_TTL}. {@code SO_LINGER} is in
 * seconds; a negative value turns it off (and {@link #getOption} returns {@code -1} when it is
 * off). {@link #close()} returns at once: unsent data is still sent in the background, unless
 * {@code SO_LINGER} is 0, in which case closing resets the connection.
 */
public final class TcpStream extends AbstractStream<TcpStream, InetSocketAddress> {
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

  TcpStream(NetSocket socket) {
    super(socket, OPTIONS, InetSocketAddress.class);
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
    return new TcpStream(
        open(Sockaddr.familyOf(remote), NetSocket.STREAM, KIND, s -> s.connect(remote)));
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
}
