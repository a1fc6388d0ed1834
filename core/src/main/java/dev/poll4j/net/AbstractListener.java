package dev.poll4j.net;

import dev.poll4j.internal.posix.NetSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.util.Set;
import java.util.function.Function;

/**
 * A listening stream socket: {@link TcpListener} and {@link UnixListener}. Accepting; the
 * public members appear in the javadoc of both types as their own.
 *
 * @param <S> the public listener type
 * @param <A> its address type
 * @param <C> the type of the streams it accepts
 */
abstract class AbstractListener<
        S extends AbstractListener<S, A, C>,
        A extends SocketAddress,
        C extends AbstractStream<C, A>>
    extends AbstractSocket<S, A> {
  /** What the accepted sockets are, for messages. */
  private final String acceptedKind;
  /** Wraps an accepted socket in its public type. */
  private final Function<NetSocket, C> wrap;

  AbstractListener(
      NetSocket socket,
      Set<SocketOption<?>> options,
      Class<A> addressType,
      String acceptedKind,
      Function<NetSocket, C> wrap) {
    super(socket, options, addressType);
    this.acceptedKind = acceptedKind;
    this.wrap = wrap;
  }

  /**
   * Accepts one pending connection. On a readable event, call it until it returns null.
   *
   * @return the connected stream, non-blocking and close-on-exec; or null when no connection
   *     is pending (would block)
   * @throws IOException if {@code accept4} fails (for example at the open-files limit), or the
   *     listener is closed
   */
  public C accept() throws IOException {
    NetSocket s = socket.accept(acceptedKind);
    return s == null ? null : wrap.apply(s);
  }
}
