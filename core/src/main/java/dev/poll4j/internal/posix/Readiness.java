package dev.poll4j.internal.posix;

import dev.poll4j.spi.Ops;

/**
 * The one mapping from POSIX readiness bits to poll4j's, shared by the poll(2) and epoll
 * backends so that both report the same for the same condition. On Linux the {@code POLL*} and
 * {@code EPOLL*} bits have the same values ({@code IN 0x1, PRI 0x2, OUT 0x4, ERR 0x8, HUP 0x10,
 * RDHUP 0x2000}); the epoll module's tests check that.
 */
public final class Readiness {
  /** {@code POLLIN} / {@code EPOLLIN}. */
  public static final int IN = 0x001;
  /** {@code POLLPRI} / {@code EPOLLPRI}. */
  public static final int PRI = 0x002;
  /** {@code POLLOUT} / {@code EPOLLOUT}. */
  public static final int OUT = 0x004;
  /** {@code POLLERR} / {@code EPOLLERR}. */
  public static final int ERR = 0x008;
  /** {@code POLLHUP} / {@code EPOLLHUP}. */
  public static final int HUP = 0x010;
  /** {@code POLLRDHUP} / {@code EPOLLRDHUP} (Linux). */
  public static final int RDHUP = 0x2000;

  private Readiness() {}

  /**
   * Maps kernel readiness bits to {@link Ops} bits, limited to {@code interest} plus the error
   * and closed bits: readable on IN, HUP, ERR or RDHUP; priority on PRI; writable on OUT, HUP or
   * ERR; error on ERR; read-closed on HUP or RDHUP; write-closed on HUP or ERR. A hang-up or an
   * error is never dropped, even when no direction of the interest matches (the kernel reports
   * them whatever was asked, and a silent drop would lose the only news of a dead peer).
   *
   * @param bits {@code revents} of poll(2), or {@code events} of an {@code epoll_event}
   * @param interest the interest (or armed) bits of the registration
   * @return readiness bits, or 0 when nothing of interest happened
   */
  public static int translate(int bits, int interest) {
    boolean in = (bits & IN) != 0;
    boolean out = (bits & OUT) != 0;
    boolean err = (bits & ERR) != 0;
    boolean hup = (bits & HUP) != 0;
    boolean rdhup = (bits & RDHUP) != 0;
    int ready = 0;
    if ((interest & Ops.READABLE) != 0 && (in || hup || err || rdhup)) {
      ready |= Ops.READABLE;
    }
    if ((interest & Ops.PRIORITY) != 0 && (bits & PRI) != 0) {
      ready |= Ops.PRIORITY;
    }
    if ((interest & Ops.WRITABLE) != 0 && (out || hup || err)) {
      ready |= Ops.WRITABLE;
    }
    if (ready == 0 && !hup && !err) {
      return 0;
    }
    if (err) {
      ready |= Ops.ERROR | Ops.WRITE_CLOSED;
    }
    if (hup) {
      ready |= Ops.READ_CLOSED | Ops.WRITE_CLOSED;
    }
    if (rdhup) {
      ready |= Ops.READ_CLOSED;
    }
    return ready;
  }

  /**
   * A wait in nanoseconds as the millisecond timeout of poll(2) or {@code epoll_wait}: {@code -1}
   * stays forever, {@code 0} stays non-blocking, anything else is rounded up (never down to a
   * busy loop) and clamped to {@link Integer#MAX_VALUE}; the caller waits again for the rest.
   *
   * @param nanos {@code -1}, {@code 0}, or a positive wait
   * @return the timeout in milliseconds
   */
  public static int timeoutMillis(long nanos) {
    if (nanos < 0) {
      return -1;
    }
    long ms = nanos / 1_000_000 + (nanos % 1_000_000 == 0 ? 0 : 1);
    return ms > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) ms;
  }
}
