package dev.poll4j.spi;

/**
 * The fixed-capacity store that a backend fills during a select: parallel arrays of tokens and
 * readiness bits, allocated once.
 *
 * <p>Not thread-safe: only the polling thread touches it. The public {@code Events} type is a
 * view over one of these.
 */
public final class EventBuffer {
  private final long[] tokens;
  private final int[] ready;
  private int size;

  /**
   * Creates a buffer for at most {@code capacity} events.
   *
   * @param capacity the largest number of events one select may return
   * @throws IllegalArgumentException if {@code capacity < 1}
   */
  public EventBuffer(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity < 1: " + capacity);
    }
    this.tokens = new long[capacity];
    this.ready = new int[capacity];
  }

  /**
   * The largest number of events this buffer holds.
   *
   * @return the capacity given at construction
   */
  public int capacity() {
    return tokens.length;
  }

  /**
   * The number of events currently held.
   *
   * @return the count of events added since the last {@link #clear()}
   */
  public int size() {
    return size;
  }

  /**
   * How many more events fit.
   *
   * @return {@code capacity() - size()}
   */
  public int remaining() {
    return tokens.length - size;
  }

  /** Forgets every event; the arrays are kept. */
  public void clear() {
    size = 0;
  }

  /**
   * Appends one event. Backends never add more than {@link #remaining()} events.
   *
   * @param token the token of the registration that is ready
   * @param readyOps readiness bits from {@link Ops}; never zero
   * @throws IndexOutOfBoundsException if the buffer is full
   */
  public void add(long token, int readyOps) {
    int i = size;
    tokens[i] = token;
    ready[i] = readyOps;
    size = i + 1;
  }

  /**
   * The token of event {@code i}.
   *
   * @param i index, {@code 0 <= i < size()}
   * @return the token of that event
   */
  public long token(int i) {
    return tokens[i];
  }

  /**
   * The readiness bits of event {@code i}.
   *
   * @param i index, {@code 0 <= i < size()}
   * @return bits from {@link Ops}
   */
  public int ready(int i) {
    return ready[i];
  }
}
