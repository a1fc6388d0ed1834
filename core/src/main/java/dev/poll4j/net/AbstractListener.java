package dev.poll4j.net;

import dev.poll4j.internal.posix.NetSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.util.Set;
import java.util.function.Function;

/**
 * A listening stream socket: {@link TcpListener} and {@link UnixListener}. Accepting, including
 * what happens at the open-files limit; the public members appear in the javadoc of both types
 * as their own.
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
   * <h4>At the open-files limit</h4>
   *
   * When the process has no descriptor left for the connection ({@code EMFILE}, or {@code
   * ENFILE} for the whole system), the connection would stay queued and keep the listener
   * readable: a level-triggered loop would spin, an edge-triggered one would never hear of the
   * listener again. So poll4j does what libuv does: it keeps one spare descriptor per process,
   * and at the limit it gives the spare back, accepts and at once closes every pending
   * connection (the clients see their connection closed), and takes the spare again. Then
   * accept throws a {@link dev.poll4j.NativeIOException} whose {@link
   * dev.poll4j.NativeIOException#errnoName() errnoName()} is {@code EMFILE} (or {@code ENFILE})
   * and whose message says how many connections were closed, for example {@code
   * "accept4(tcp listener 7) failed: EMFILE (Too many open files): the open-files limit is
   * reached; 3 pending connections were closed unaccepted, ..."}. If no connection was pending,
   * it returns null instead, as for any would-block.
   *
   * <p>Either way the listener stays open and registered, and readiness is re-armed as after
   * any would-block: the next connection brings a new event, and accept works again as soon as
   * descriptors are free. Only when the spare itself is unavailable (another thread took the
   * freed descriptor first) are the connections left queued: accept then throws the same
   * exception, saying so, and since nothing was drained to would-block, readiness is not
   * re-armed; call accept again later (from a timer, say) to shed or accept them.
   *
   * @return the connected stream, non-blocking and close-on-exec; or null when no connection
   *     is pending (would block)
   * @throws dev.poll4j.NativeIOException {@code EMFILE} or {@code ENFILE} at the open-files
   *     limit, after the pending connections were closed (see above)
   * @throws IOException if {@code accept4} fails otherwise, or the listener is closed
   */
  public C accept() throws IOException {
    NetSocket s = socket.accept(acceptedKind);
    return s == null ? null : wrap.apply(s);
  }
}
