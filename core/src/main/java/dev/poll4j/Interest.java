package dev.poll4j;

import dev.poll4j.spi.Ops;

/**
 * What a registration waits for: a small immutable, non-empty set of {@link #READABLE}, {@link
 * #WRITABLE} and {@link #PRIORITY}.
 *
 * <p>Combining never allocates: every combination is a shared constant.
 *
 * <pre>{@code
 * Interest both = Interest.READABLE.add(Interest.WRITABLE);
 * Interest back = both.remove(Interest.WRITABLE); // READABLE
 * }</pre>
 */
public final class Interest {
  // Index = bits; index 0 (empty) is never handed out.
  private static final Interest[] ALL = new Interest[Ops.ALL_INTEREST + 1];

  static {
    for (int bits = 1; bits <= Ops.ALL_INTEREST; bits++) {
      ALL[bits] = new Interest(bits);
    }
  }

  /** Readable: data to read, a connection to accept, or end of stream. */
  public static final Interest READABLE = ALL[Ops.READABLE];
  /** Writable: room to write, or a non-blocking connect that finished. */
  public static final Interest WRITABLE = ALL[Ops.WRITABLE];
  /**
   * Priority: out-of-band or urgent data. Reported where the OS reports it (epoll and poll(2) on
   * Linux, AFD on Windows); kqueue has no such filter.
   */
  public static final Interest PRIORITY = ALL[Ops.PRIORITY];

  private final int bits;

  private Interest(int bits) {
    this.bits = bits;
  }

  /**
   * The interest made of the given {@link Ops} bits.
   *
   * @param bits any non-zero combination of {@code Ops.READABLE}, {@code Ops.WRITABLE} and {@code
   *     Ops.PRIORITY}
   * @return the shared constant for those bits
   * @throws IllegalArgumentException if {@code bits} is zero or has other bits set
   */
  public static Interest ofBits(int bits) {
    if (bits == 0 || (bits & ~Ops.ALL_INTEREST) != 0) {
      throw new IllegalArgumentException(
          "interest bits must be a non-empty subset of READABLE|WRITABLE|PRIORITY: 0x"
              + Integer.toHexString(bits));
    }
    return ALL[bits];
  }

  /**
   * This interest plus {@code other}.
   *
   * @param other the interest to add
   * @return the union
   */
  public Interest add(Interest other) {
    return ALL[bits | other.bits];
  }

  /**
   * This interest without {@code other}.
   *
   * @param other the interest to remove
   * @return what remains, or {@code null} if nothing remains (an empty interest does not exist)
   */
  public Interest remove(Interest other) {
    int left = bits & ~other.bits;
    return left == 0 ? null : ALL[left];
  }

  /**
   * Whether this includes {@link #READABLE}.
   *
   * @return true if readable is included
   */
  public boolean isReadable() {
    return (bits & Ops.READABLE) != 0;
  }

  /**
   * Whether this includes {@link #WRITABLE}.
   *
   * @return true if writable is included
   */
  public boolean isWritable() {
    return (bits & Ops.WRITABLE) != 0;
  }

  /**
   * Whether this includes {@link #PRIORITY}.
   *
   * @return true if priority is included
   */
  public boolean isPriority() {
    return (bits & Ops.PRIORITY) != 0;
  }

  /**
   * The {@link Ops} bits of this interest.
   *
   * @return a non-zero subset of {@code Ops.ALL_INTEREST}
   */
  public int bits() {
    return bits;
  }

  @Override
  public String toString() {
    return Ops.toString(bits);
  }
}
