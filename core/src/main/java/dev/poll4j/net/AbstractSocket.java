package dev.poll4j.net;

import dev.poll4j.Source;
import dev.poll4j.internal.posix.NetSocket;
import dev.poll4j.spi.SourceHandle;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Objects;
import java.util.Set;

/**
 * What every socket of this package has: the {@link NetSocket} it wraps, its options, its local
 * address, its pending error, and closing.
 *
 * <p>The public socket types extend it through {@link AbstractStream}, {@link AbstractDatagram}
 * or {@link AbstractListener}, and are final. This class is package-private, so its public
 * members appear in the javadoc of each public type as that type's own, with {@code S} and
 * {@code A} replaced by the type's arguments.
 *
 * @param <S> the public socket type, which {@link #setOption} returns for chaining
 * @param <A> its address type: {@link java.net.InetSocketAddress} for IP sockets, {@link
 *     SocketAddress} for Unix domain sockets ({@link UnixDomainSocketAddress} or {@link
 *     UnixAbstractAddress})
 */
abstract class AbstractSocket<S extends AbstractSocket<S, A>, A extends SocketAddress>
    implements Source, Closeable {
  /** The socket; subclasses call it directly. */
  final NetSocket socket;
  /** The options the public type supports: the only ones {@link #setOption} lets through. */
  private final Set<SocketOption<?>> options;
  /** The class of {@code A}, so that addresses from the kernel are cast without warnings. */
  private final Class<A> addressType;

  AbstractSocket(NetSocket socket, Set<SocketOption<?>> options, Class<A> addressType) {
    this.socket = socket;
    this.options = options;
    this.addressType = addressType;
  }

  /** What a new socket has to do before it is handed out, such as bind or connect. */
  @FunctionalInterface
  interface Setup {
    void apply(NetSocket s) throws IOException;
  }

  /**
   * Creates a socket and runs {@code setup} on it; if that fails, closes it again.
   *
   * @return the socket, set up
   * @throws IOException if {@code socket} or the setup fails (the socket is closed then)
   */
  static NetSocket open(int family, int type, String kind, Setup setup) throws IOException {
    NetSocket s = NetSocket.open(family, type, kind);
    try {
      setup.apply(s);
    } catch (IOException | RuntimeException e) {
      try {
        s.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return s;
  }

  /**
   * Checks that {@code address} is one the Unix domain sockets accept.
   *
   * @return the address
   * @throws UnsupportedAddressTypeException if it is neither a {@link UnixDomainSocketAddress}
   *     nor a {@link UnixAbstractAddress}
   */
  static SocketAddress checkUnix(SocketAddress address) {
    if (!(Objects.requireNonNull(address, "address") instanceof UnixDomainSocketAddress
        || address instanceof UnixAbstractAddress)) {
      throw new UnsupportedAddressTypeException();
    }
    return address;
  }

  /** This socket as its public type. */
  @SuppressWarnings("unchecked")
  final S self() {
    return (S) this;
  }

  /** An address from the kernel as this socket's address type; null stays null. */
  final A address(SocketAddress a) {
    return addressType.cast(a);
  }

  /**
   * Sets a socket option. The options each socket type supports, and what they mean there, are
   * listed in the type's description and returned by {@link #supportedOptions()}.
   *
   * @param <T> the option's value type
   * @param name the option, from {@link java.net.StandardSocketOptions} or {@link NetOptions}
   * @param value its value
   * @return this socket
   * @throws IOException if {@code setsockopt} fails, or the socket is closed
   * @throws UnsupportedOperationException if this socket type does not support the option
   * @throws IllegalArgumentException if the value is null or out of range
   */
  public <T> S setOption(SocketOption<T> name, T value) throws IOException {
    socket.setOption(options, name, value);
    return self();
  }

  /**
   * Reads a socket option (see {@link #setOption}). Buffer sizes are the kernel's values, which
   * Linux doubles from what was set.
   *
   * @param <T> the option's value type
   * @param name the option
   * @return its value
   * @throws IOException if {@code getsockopt} fails, or the socket is closed
   * @throws UnsupportedOperationException if this socket type does not support the option
   */
  public <T> T getOption(SocketOption<T> name) throws IOException {
    return socket.getOption(options, name);
  }

  /**
   * The options {@link #setOption} and {@link #getOption} accept.
   *
   * @return an immutable set
   */
  public Set<SocketOption<?>> supportedOptions() {
    return options;
  }

  /**
   * The address the socket is bound to.
   *
   * @return for an IP socket, the address and the actual port (port 0 and the wildcard address
   *     while unbound; IPv4-mapped addresses of a dual-stack socket come back as IPv4); for a
   *     Unix domain socket, a {@link UnixDomainSocketAddress} (an empty path while unbound or
   *     unnamed) or a {@link UnixAbstractAddress}
   * @throws IOException if {@code getsockname} fails, or the socket is closed
   */
  public A localAddress() throws IOException {
    return address(socket.localAddress());
  }

  /**
   * Takes the socket's pending error ({@code SO_ERROR}) and clears it. After a failed connect,
   * that is the reason it failed (such as a {@link java.net.ConnectException}); on a UDP
   * socket, a {@link java.net.PortUnreachableException} after an ICMP port-unreachable.
   *
   * @return the error, or null when none is pending
   * @throws IOException if the error cannot be read, or the socket is closed
   */
  public IOException takeError() throws IOException {
    return socket.takeError();
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
   * Ends the registration, if any, and closes the socket. Idempotent. What else closing does
   * for this socket type (unsent data, pending connections, socket files) is in the type's
   * description.
   *
   * @throws IOException if {@code close} fails
   */
  @Override
  public void close() throws IOException {
    socket.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + socket + "]";
  }
}
