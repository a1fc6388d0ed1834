package dev.poll4j;

/**
 * How a registration reports readiness.
 *
 * <p>The default, {@link #EDGE}, is mio's model and the cheapest on every backend. {@link #LEVEL}
 * is what NIO {@code Selector}s do. {@link #ONESHOT} is what schedulers that hand a handle to one
 * worker at a time want.
 *
 * <p>Portability: on epoll and kqueue all three modes are native. Backends marked
 * {@link Poll#emulatesEdge()} (poll(2), and the IOCP backend) emulate {@link #EDGE}: a reported
 * readiness is dropped from the registration until an I/O call through poll4j returns
 * would-block (or {@link RawFd#rearm} is called), so portable code drains to would-block.
 */
public enum Mode {
  /**
   * Edge-triggered: one event per transition to ready. After an event, the next one comes only
   * with new readiness, provided the caller drained the source until it would block.
   */
  EDGE,
  /** Level-triggered: every poll reports the source while it stays ready. */
  LEVEL,
  /**
   * One-shot: the registration reports one event, then stays silent until it is re-armed with
   * {@link Registry#reregister}.
   */
  ONESHOT
}
