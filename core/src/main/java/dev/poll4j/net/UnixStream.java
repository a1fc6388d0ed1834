package dev.poll4j.net;

import dev.poll4j.Source;
import dev.poll4j.internal.posix.NetSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.file.Path;
import java.util.Set;

/**
 * A non-blocking Unix domain stream connection, as a {@link Source}.
 *
 * <p>Made by {@link #connect(SocketAddress)} (to a path or, on Linux, an abstract name), by
 * {@link UnixListener#accept()}, or as one end of a {@link #pair()}. The descriptor is
 * non-blocking and close-on-exec from creation.
 *
 * <p>I/O works as for {@link TcpStream}: {@code read} and {@code write} return the byte count,
 * {@code 0} when the call would block, and {@code read} returns {@code -1} at end of stream;
 * drain to would-block before waiting for the next edge-triggered event; {@link #peek} does not
 * consume. Direct buffers go to the kernel without a copy, heap buffers through a buffer per
 * thread. Writes never raise {@code SIGPIPE}: writing after the peer closed fails with an
 * {@link IOException} ({@code EPIPE}).
 *
 * <p>Addresses are {@link UnixDomainSocketAddress}es (an empty path for an unnamed socket, such
 * as either end of a pair or a connecting client) or {@link UnixAbstractAddress}es. Any thread
 * may call any method; every method throws a {@link java.nio.channels.ClosedChannelException}
 * once the stream is closed.
 *
 * <p>{@link #setOption} takes {@code SO_SNDBUF} and {@code SO_RCVBUF} from {@link
 * StandardSocketOptions}.
 */
public final class UnixStream extends AbstractStream<UnixStream, SocketAddress> {
  static final String KIND = "unix stream";
  private static final Set<SocketOption<?>> OPTIONS =
      Set.of(StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF);

  UnixStream(NetSocket socket) {
    super(socket, OPTIONS, SocketAddress.class);
  }

  /**
   * Connects to the listener at a file-system path.
   *
   * @param path the socket file
   * @return the stream, connected (Linux completes Unix connects at once)
   * @throws java.net.ConnectException if nothing listens there
   * @throws IOException if the connect fails otherwise (for example {@code ENOENT}, or {@code
   *     EAGAIN} when the listener's accept queue is full)
   */
  public static UnixStream connect(Path path) throws IOException {
    return connect(UnixDomainSocketAddress.of(path));
  }

  /**
   * Connects to the listener at a path or an abstract name.
   *
   * @param remote a {@link UnixDomainSocketAddress} or a {@link UnixAbstractAddress}
   * @return the stream, connected or (on systems that queue Unix connects) connecting; see
   *     {@link #finishConnect()}
   * @throws java.net.ConnectException if nothing listens there
   * @throws IOException if the connect fails otherwise
   * @throws UnsupportedAddressTypeException for another address type
   */
  public static UnixStream connect(SocketAddress remote) throws IOException {
    checkUnix(remote);
    return new UnixStream(open(NetSocket.UNIX, NetSocket.STREAM, KIND, s -> s.connect(remote)));
  }

  /**
   * Creates a connected pair of unnamed streams ({@code socketpair}).
   *
   * @return the two ends, in an array of length 2; what one writes the other reads
   * @throws IOException if {@code socketpair} fails
   */
  public static UnixStream[] pair() throws IOException {
    NetSocket[] s = NetSocket.pair(NetSocket.STREAM, KIND);
    return new UnixStream[] {new UnixStream(s[0]), new UnixStream(s[1])};
  }
}
