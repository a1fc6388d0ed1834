package dev.poll4j.net;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A name in the Linux abstract namespace of Unix domain sockets: a socket address with no file
 * behind it, gone when the last socket bound to it is closed.
 *
 * <p>Names are byte strings of 1 to {@value #MAX_LENGTH} bytes; they may contain any byte,
 * including zero. The JDK's {@link java.net.UnixDomainSocketAddress} covers file-system paths
 * only; the Unix sockets of this package accept and return both. {@link #toString()} renders the
 * name as {@code @name}, the way {@code ss} and {@code /proc/net/unix} do.
 *
 * <p>Linux only: binding or connecting to one elsewhere fails with an {@link
 * UnsupportedOperationException}. Instances are immutable and compare by name.
 */
public final class UnixAbstractAddress extends SocketAddress {
  private static final long serialVersionUID = 1L;

  /** The longest name: {@code sun_path} is 108 bytes, of which the first is the zero marker. */
  public static final int MAX_LENGTH = 107;

  /** The name, without the leading zero byte of {@code sun_path}; never shared. */
  private final byte[] name;

  private UnixAbstractAddress(byte[] name) {
    if (name.length == 0 || name.length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "abstract name length not in [1, " + MAX_LENGTH + "]: " + name.length);
    }
    this.name = name;
  }

  /**
   * The address for a name given as text, encoded as UTF-8.
   *
   * @param name the name, 1 to {@value #MAX_LENGTH} bytes in UTF-8
   * @return the address
   * @throws IllegalArgumentException if the encoded name is empty or too long
   */
  public static UnixAbstractAddress of(String name) {
    return new UnixAbstractAddress(name.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The address for a name given as bytes.
   *
   * @param name the name, 1 to {@value #MAX_LENGTH} bytes; copied
   * @return the address
   * @throws IllegalArgumentException if {@code name} is empty or too long
   */
  public static UnixAbstractAddress of(byte[] name) {
    return new UnixAbstractAddress(name.clone());
  }

  /**
   * The name as bytes.
   *
   * @return a copy of the name, without the leading zero byte the kernel uses to mark it
   */
  public byte[] name() {
    return name.clone();
  }

  // For Sockaddr: the bytes without a copy. Callers must not modify them.
  byte[] nameBytes() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnixAbstractAddress && Arrays.equals(name, ((UnixAbstractAddress) o).name);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(name);
  }

  /**
   * Renders the address as {@code @} followed by the name, decoded as UTF-8 (undecodable bytes
   * become U+FFFD, zero bytes {@code @}).
   *
   * @return the text form, such as {@code @my-service}
   */
  @Override
  public String toString() {
    return "@" + new String(name, StandardCharsets.UTF_8).replace('\0', '@');
  }
}
