package dev.poll4j.net;

import dev.poll4j.Source;
import dev.poll4j.internal.posix.NetSocket;
import dev.poll4j.spi.SourceHandle;
import java.io.Closeable;
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
 * null. Accepted streams are non-blocking and close-on-exec, like the listener itself.
 *
 * <p>Binding creates the socket file, and fails with a {@link java.net.BindException} if the
 * path exists; closing does not delete it (delete it yourself, as with the JDK's channels). An
 * abstract name disappears with the last socket bound to it. Any thread may call any method;
 * every method throws a {@link java.nio.channels.ClosedChannelException} once the listener is
 * closed.
 */
public final class UnixListener implements Source, Closeable {
  /** The backlog {@link #bind(SocketAddress)} uses. */
  public static final int DEFAULT_BACKLOG = 1024;

  private static final String KIND = "unix listener";
  private static final Set<SocketOption<?>> OPTIONS = Set.of(StandardSocketOptions.SO_RCVBUF);

  private final NetSocket socket;

  private UnixListener(NetSocket socket) {
    this.socket = socket;
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
    UnixStream.checkUnix(local);
    NetSocket s = NetSocket.open(NetSocket.UNIX, NetSocket.STREAM, KIND);
    try {
      s.bind(local);
      s.listen(DEFAULT_BACKLOG);
    } catch (IOException | RuntimeException e) {
      TcpStream.closeQuietly(s, e);
      throw e;
    }
    return new UnixListener(s);
  }

  /**
   * Accepts one pending connection.
   *
   * @return the connected stream, or null when no connection is pending (would block)
   * @throws IOException if {@code accept4} fails (for example at the open-files limit), or the
   *     listener is closed
   */
  public UnixStream accept() throws IOException {
    NetSocket s = socket.accept(UnixStream.KIND);
    return s == null ? null : new UnixStream(s);
  }

  /**
   * The address the listener is bound to.
   *
   * @return a {@link UnixDomainSocketAddress} or a {@link UnixAbstractAddress}
   * @throws IOException if {@code getsockname} fails, or the listener is closed
   */
  public SocketAddress localAddress() throws IOException {
    return socket.localAddress();
  }

  /**
   * Takes the socket's pending error ({@code SO_ERROR}) and clears it.
   *
   * @return the error, or null when none is pending
   * @throws IOException if the error cannot be read, or the listener is closed
   */
  public IOException takeError() throws IOException {
    return socket.takeError();
  }

  /**
   * Sets an option: {@code SO_RCVBUF} from {@link StandardSocketOptions}.
   *
   * @param <T> the option's value type
   * @param name the option
   * @param value its value
   * @return this listener
   * @throws IOException if {@code setsockopt} fails, or the listener is closed
   * @throws UnsupportedOperationException for another option
   * @throws IllegalArgumentException if the value is null or out of range
   */
  public <T> UnixListener setOption(SocketOption<T> name, T value) throws IOException {
    socket.setOption(OPTIONS, name, value);
    return this;
  }

  /**
   * Reads an option (see {@link #setOption}).
   *
   * @param <T> the option's value type
   * @param name the option
   * @return its value
   * @throws IOException if {@code getsockopt} fails, or the listener is closed
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
   * Whether the listener is open.
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
    return "UnixListener[" + socket + "]";
  }
}
