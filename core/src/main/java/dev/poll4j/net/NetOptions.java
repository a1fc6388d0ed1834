package dev.poll4j.net;

import java.net.SocketOption;

/**
 * Socket options poll4j supports beyond {@link java.net.StandardSocketOptions}.
 *
 * <p>Use them like the standard ones, with {@code setOption} and {@code getOption} of the
 * socket types in this package.
 */
public final class NetOptions {
  /**
   * The time-to-live of unicast IP packets sent by the socket ({@code IP_TTL}; {@code
   * IPV6_UNICAST_HOPS} on IPv6 sockets, where a dual-stack socket sets both).
   *
   * <p>The value is an {@code Integer} from 1 to 255. Supported by {@link TcpStream}, {@link
   * TcpListener} (inherited by accepted streams) and {@link UdpSocket}.
   */
  public static final SocketOption<Integer> IP_TTL = new Option<>("IP_TTL", Integer.class);

  private NetOptions() {}

  /** A named option of a given value type. */
  private static final class Option<T> implements SocketOption<T> {
    private final String name;
    private final Class<T> type;

    Option(String name, Class<T> type) {
      this.name = name;
      this.type = type;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Class<T> type() {
      return type;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
