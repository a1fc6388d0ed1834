package dev.poll4j.net;

import dev.poll4j.Source;
import dev.poll4j.internal.posix.NetSocket;
import dev.poll4j.internal.posix.Sockaddr;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.util.Objects;
import java.util.Set;

/**
 * A non-blocking TCP listening socket, IPv4 or IPv6, as a {@link Source}.
 *
 * <p>Register it for {@link dev.poll4j.Interest#READABLE}; on each readable event, call {@link
 * #accept()} until it returns null. Accepted streams are non-blocking and close-on-exec, like
 * the listener itself. At the open-files limit, accept sheds the pending connections rather
 * than spin or lose the listener (see {@link #accept()}).
 *
 * <p>{@link #bind(InetSocketAddress)} sets {@code SO_REUSEADDR} (so a restarted server can
 * rebind while old connections linger in {@code TIME_WAIT}) and listens with a backlog of
 * {@value #DEFAULT_BACKLOG}. To set options before binding, such as {@code SO_REUSEPORT}, use
 * {@link #open(StandardProtocolFamily)}, {@link #setOption} and {@link #listen}. A listener
 * bound to the IPv6 wildcard {@code ::} accepts IPv4 connections too where the OS allows it
 * (dual-stack); their addresses come back as IPv4.
 *
 * <p>{@link #setOption} takes {@code SO_RCVBUF} (inherited by accepted streams), {@code
 * SO_REUSEADDR}, {@code SO_REUSEPORT} (before binding) and {@code IP_TOS} from {@link
 * StandardSocketOptions}, and {@link NetOptions#IP_TTL}. Closing the listener resets the
 * connections still pending; accepted streams stay open.
 *
 * <p>Any thread may call any method. Every method throws a {@link
 * java.nio.channels.ClosedChannelException} once the listener is closed.
 */
public final class TcpListener
    extends AbstractListener<TcpListener, InetSocketAddress, TcpStream> {
  /** The backlog {@link #bind(InetSocketAddress)} uses, as mio and Rust's std do on Unix. */
  public static final int DEFAULT_BACKLOG = 1024;

  private static final String KIND = "tcp listener";
  private static final Set<SocketOption<?>> OPTIONS =
      Set.of(
          StandardSocketOptions.SO_RCVBUF,
          StandardSocketOptions.SO_REUSEADDR,
          StandardSocketOptions.SO_REUSEPORT,
          StandardSocketOptions.IP_TOS,
          NetOptions.IP_TTL);

  private TcpListener(NetSocket socket) {
    super(socket, OPTIONS, InetSocketAddress.class, TcpStream.KIND, TcpStream::new);
  }

  /**
   * Opens a listener on {@code local} with {@code SO_REUSEADDR} and a backlog of {@value
   * #DEFAULT_BACKLOG}.
   *
   * @param local the address; port 0 picks an ephemeral port (see {@link #localAddress()})
   * @return the listener
   * @throws java.net.BindException if the address is in use, not local, or privileged
   * @throws IOException if the socket cannot be created or listen fails
   * @throws java.nio.channels.UnresolvedAddressException if {@code local} is unresolved
   */
  public static TcpListener bind(InetSocketAddress local) throws IOException {
    return bind(local, DEFAULT_BACKLOG);
  }

  /**
   * Opens a listener on {@code local} with {@code SO_REUSEADDR} (except on Windows, where it
   * would let another socket take the port over) and the given backlog.
   *
   * @param local the address; port 0 picks an ephemeral port
   * @param backlog the accept queue length; the kernel caps it ({@code net.core.somaxconn})
   * @return the listener
   * @throws java.net.BindException if the address is in use, not local, or privileged
   * @throws IOException if the socket cannot be created or listen fails
   */
  public static TcpListener bind(InetSocketAddress local, int backlog) throws IOException {
    Objects.requireNonNull(local, "local");
    return new TcpListener(
        open(
            Sockaddr.familyOf(local),
            NetSocket.STREAM,
            KIND,
            s -> {
              if (s.listenersReuseAddress()) { // not on Windows: there it allows port theft
                s.setOption(OPTIONS, StandardSocketOptions.SO_REUSEADDR, true);
              }
              s.bind(local);
              s.listen(backlog);
            }));
  }

  /**
   * Opens an unbound listener socket, to set options before {@link #listen}. An {@code INET6}
   * listener is dual-stack where the OS allows it.
   *
   * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}
   * @return the socket, not yet listening
   * @throws IOException if the socket cannot be created
   * @throws UnsupportedOperationException for another family
   */
  public static TcpListener open(StandardProtocolFamily family) throws IOException {
    return new TcpListener(NetSocket.open(NetSocket.ipFamily(family), NetSocket.STREAM, KIND));
  }

  /**
   * Binds an {@link #open(StandardProtocolFamily) opened} listener and starts listening.
   *
   * @param local the address; an IPv4 address works on a dual-stack {@code INET6} socket
   * @param backlog the accept queue length; the kernel caps it ({@code net.core.somaxconn})
   * @return this listener
   * @throws java.net.BindException if the address is in use, not local, or privileged
   * @throws IOException if bind or listen fails otherwise (for example when already bound)
   */
  public TcpListener listen(InetSocketAddress local, int backlog) throws IOException {
    socket.bind(Objects.requireNonNull(local, "local"));
    socket.listen(backlog);
    return this;
  }
}
