package dev.poll4j.spi;

/**
 * Bit values shared by the API, the SPI and every backend: interest bits (what a registration
 * asks for) and readiness bits (what an event reports).
 *
 * <p>Interest bits are a subset of the readiness bits with the same values, so a backend can
 * intersect the two with a plain {@code &}.
 */
public final class Ops {
  /** Interest in, or readiness for, reading (or accepting). */
  public static final int READABLE = 1;
  /** Interest in, or readiness for, writing (or a finished connect). */
  public static final int WRITABLE = 1 << 1;
  /** Interest in, or readiness of, priority (out-of-band) data. */
  public static final int PRIORITY = 1 << 2;
  /** Readiness only: an error is pending on the handle. */
  public static final int ERROR = 1 << 3;
  /** Readiness only: the read half is closed (peer shut down writing, or hang-up). */
  public static final int READ_CLOSED = 1 << 4;
  /** Readiness only: the write half is closed (peer gone, or hang-up). */
  public static final int WRITE_CLOSED = 1 << 5;

  /** Every interest bit. */
  public static final int ALL_INTEREST = READABLE | WRITABLE | PRIORITY;

  private Ops() {}

  /**
   * What a registration of a backend that emulates edge and oneshot modes (it re-arms AFD polls or
   * poll(2) entries itself) stays armed for after it reported {@code ready}: level mode keeps
   * everything; oneshot disarms everything until re-registered; edge mode drops the directions it
   * just reported, which the would-block hook re-arms. A report with no interest bit (only error
   * or closed bits) disarms everything.
   *
   * @param mode the registration's mode
   * @param armed the interest bits armed before the report
   * @param ready the bits just reported
   * @return the interest bits still armed
   */
  public static int armedAfter(dev.poll4j.Mode mode, int armed, int ready) {
    if (mode == dev.poll4j.Mode.LEVEL) {
      return armed;
    }
    int reported = ready & ALL_INTEREST;
    return mode == dev.poll4j.Mode.ONESHOT || reported == 0 ? 0 : armed & ~reported;
  }

  /**
   * Renders bits as {@code READABLE|WRITABLE}; for messages and {@code toString}, not hot paths.
   *
   * @param bits interest or readiness bits
   * @return the names of the set bits joined by {@code |}, or {@code NONE}
   */
  public static String toString(int bits) {
    StringBuilder sb = new StringBuilder();
    append(sb, bits, READABLE, "READABLE");
    append(sb, bits, WRITABLE, "WRITABLE");
    append(sb, bits, PRIORITY, "PRIORITY");
    append(sb, bits, ERROR, "ERROR");
    append(sb, bits, READ_CLOSED, "READ_CLOSED");
    append(sb, bits, WRITE_CLOSED, "WRITE_CLOSED");
    return sb.length() == 0 ? "NONE" : sb.toString();
  }

  private static void append(StringBuilder sb, int bits, int bit, String name) {
    if ((bits & bit) != 0) {
      if (sb.length() > 0) {
        sb.append('|');
      }
      sb.append(name);
    }
  }
}
