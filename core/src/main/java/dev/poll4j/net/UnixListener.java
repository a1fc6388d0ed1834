package dev.poll4j.net;

import dev.poll4j.Source;
import dev.poll4j.internal.posix.NetSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Set;

/**
 * A non-blocking Unix domain stream listener, as a {@link Source}.
 *
 * <p>Bound to a file-system path ({@link UnixDomainSocketAddress}) or, on Linux, to a name in
 * the abstract namespace ({@link UnixAbstractAddress}). Register it for {@link
 * dev.poll4j.Interest#READABLE}; on each readable event, call {@link #accept()} until it returns
 * null. Accepted streams are non-blocking and close-on-exec, like the listener itself. At the
 * open-files limit, accept sheds the pending connections rather than spin or lose the listener
 * (see {@link #accept()}).
 *
 * <p>Binding creates the socket file, and fails with a {@link java.net.BindException} if the
 * path exists; closing does not delete it (delete it yourself, as with the JDK's channels). An
 * abstract name disappears with the last socket bound to it. Any thread may call any method;
 * every method throws a {@link java.nio.channels.ClosedChannelException} once the listener is
 * closed.
 *
 * <p>{@link #setOption} takes {@code SO_RCVBUF} from {@link StandardSocketOptions}.
 */
public final class UnixListener
    extends AbstractListener<UnixListener, SocketAddress, UnixStream> {
  /** The backlog {@link #bind(SocketAddress)} uses. */
  public static final int DEFAULT_BACKLOG = 1024;

  private static final String KIND = "unix listener";
  private static final Set<SocketOption<?>> OPTIONS = Set.of(StandardSocketOptions.SO_RCVBUF);

  private UnixListener(NetSocket socket) {
    super(socket, OPTIONS, SocketAddress.class, UnixStream.KIND, UnixStream::new);
  }

  /**
   * Opens a listener on a file-system path, with a backlog of {@value #DEFAULT_BACKLOG}.
   *
   * @param path the path of the socket file to create; at most 107 bytes in the file-system
   *     encoding
   * @return the listener
   * @throws java.net.BindException if the path exists or its directory is not writable
   * @throws IOException if the socket cannot be created or bound
   * @throws IllegalArgumentException if the path is too long
   */
  public static UnixListener bind(Path path) throws IOException {
    return bind(UnixDomainSocketAddress.of(path));
  }

  /**
   * Opens a listener on a path or an abstract name, with a backlog of {@value
   * #DEFAULT_BACKLOG}.
   *
   * @param local a {@link UnixDomainSocketAddress} or a {@link UnixAbstractAddress}; an empty
   *     path binds to a name the kernel picks in the abstract namespace (Linux)
   * @return the listener
   * @throws java.net.BindException if the address is in use
   * @throws IOException if the socket cannot be created or bound
   * @throws java.nio.channels.UnsupportedAddressTypeException for another address type
   */
  public static UnixListener bind(SocketAddress local) throws IOException {
    checkUnix(local);
    return new UnixListener(
        open(
            NetSocket.UNIX,
            NetSocket.STREAM,
            KIND,
            s -> {
              s.bind(local);
              s.listen(DEFAULT_BACKLOG);
            }));
  }
}
