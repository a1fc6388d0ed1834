package dev.poll4j.spi;

import dev.poll4j.Mode;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * What a backend implements: one kernel event queue and the handles registered with it.
 *
 * <p>This class owns the parts every backend shares, so each backend gets them right once:
 *
 * <ul>
 *   <li><b>Lifecycle.</b> Every operation counts itself in and out and checks that the selector
 *       is open; {@link #close()} marks it closed, wakes a blocked select, then waits until no
 *       operation (a blocked select included) is left, so {@link #doClose()} runs alone. Native
 *       memory the kernel may still write is therefore never freed early, and a descriptor number
 *       is never used after it was closed and possibly reused.
 *   <li><b>Wake-ups.</b> {@link #wakeup()} coalesces: one {@link #doWakeup()} per wake cycle. A
 *       backend that sees its wake-up handle fire drains it and calls {@link #wakeupDrained()}.
 *   <li><b>The {@code Waker}.</b> At most one per selector; its event is added here, after the
 *       drain, so a wake is never lost and never reported twice.
 *   <li><b>Timeouts.</b> {@link #select} retries until an event arrives or the timeout has really
 *       passed: backends may return early (EINTR, an internal wake-up, a spurious wake-up).
 * </ul>
 *
 * <p>Backends implement the {@code do*} methods. Those are called inside such a counted
 * operation, with the selector open; {@code doSelect} only from the one polling thread.
 */
public abstract class BackendSelector {
  /** The token reserved for a backend's internal wake-up handle; users cannot register it. */
  public static final long RESERVED_TOKEN = Long.MIN_VALUE;

  private final String backendName;
  // True when the backend drops reported readiness and re-arms on would-block (poll, IOCP).
  private final boolean emulatesEdge;
  // Operations in progress (a blocked select included): close() waits for none to be left.
  // A counter, not a ReadWriteLock: entering is one atomic increment from any thread, with no
  // per-thread bookkeeping (ReentrantReadWriteLock allocates a hold counter per reader thread).
  private final AtomicInteger users = new AtomicInteger();
  private volatile boolean closed;
  // The thread inside close(), unparked by the last operation to leave.
  private volatile Thread closer;
  // Coalesces wake-ups: true from the first wakeup() until the backend drained its wake handle.
  private final AtomicBoolean wakePending = new AtomicBoolean();
  // The Waker's state, or null when none is attached.
  private volatile WakerState waker;

  /** State of the one user-visible waker of a selector. */
  private static final class WakerState {
    final long token;
    final AtomicBoolean pending = new AtomicBoolean();

    WakerState(long token) {
      this.token = token;
    }
  }

  /**
   * Creates the shared part of a selector.
   *
   * @param backendName the backend's name, as in {@link Backend#name()}
   * @param emulatesEdge whether edge mode is emulated by dropping readiness until would-block
   */
  protected BackendSelector(String backendName, boolean emulatesEdge) {
    this.backendName = backendName;
    this.emulatesEdge = emulatesEdge;
  }

  /**
   * The name of the backend this selector belongs to.
   *
   * @return a name such as {@code epoll}
   */
  public final String backendName() {
    return backendName;
  }

  /**
   * Whether edge-triggered mode is emulated (readiness re-armed only on would-block).
   *
   * @return true for poll(2) and IOCP, false for epoll and kqueue
   */
  public final boolean emulatesEdge() {
    return emulatesEdge;
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return true once closed
   */
  public final boolean isClosed() {
    return closed;
  }

  // Enter and leave bracket every operation. The increment comes before the read of `closed`,
  // and close() writes `closed` before it reads the count: so either the operation sees the
  // selector closed and backs out, or close() sees the operation and waits for it.
  private boolean tryEnter() {
    users.incrementAndGet();
    if (closed) {
      leave();
      return false;
    }
    return true;
  }

  private void enter() {
    if (!tryEnter()) {
      throw new IllegalStateException("Poll is closed");
    }
  }

  private void leave() {
    if (users.decrementAndGet() == 0 && closed) {
      Thread t = closer;
      if (t != null) {
        LockSupport.unpark(t);
      }
    }
  }

  // ---- registration -----------------------------------------------------------------------

  final Registration register(SourceHandle handle, long token, int interest, Mode mode)
      throws IOException {
    checkToken(token);
    enter();
    try {
      return doRegister(handle, token, interest, mode);
    } finally {
      leave();
    }
  }

  final void reregister(Registration r, long token, int interest, Mode mode) throws IOException {
    checkToken(token);
    enter();
    try {
      doReregister(r, token, interest, mode);
    } finally {
      leave();
    }
  }

  final void deregister(Registration r) throws IOException {
    enter();
    try {
      r.kill();
      doDeregister(r, false);
    } finally {
      leave();
    }
  }

  // Ends a registration because its handle is being closed: never throws, does nothing once the
  // selector is closed (the kernel queue is gone, and so is the registration).
  final void forget(Registration r) {
    r.kill();
    if (!tryEnter()) {
      return;
    }
    try {
      doDeregister(r, true);
    } catch (IOException | RuntimeException e) {
      // The handle is being closed; the kernel drops it from the queue with the last close.
    } finally {
      leave();
    }
  }

  private static void checkToken(long token) {
    if (token == RESERVED_TOKEN) {
      throw new IllegalArgumentException(
          "token " + RESERVED_TOKEN + " (Long.MIN_VALUE) is reserved for poll4j's wake-up");
    }
  }

  /**
   * The would-block hook (see {@link SourceHandle#wouldBlock(int)}). Does nothing unless the
   * backend emulates edge mode and the registration is in {@link Mode#EDGE}.
   *
   * @param r the registration of the handle whose I/O call would block
   * @param ops the directions that would block: {@link Ops#READABLE}, {@link Ops#WRITABLE}
   */
  public final void wouldBlock(Registration r, int ops) {
    if (!emulatesEdge || r.mode() != Mode.EDGE) {
      return;
    }
    if (!tryEnter()) {
      return;
    }
    try {
      if (r.isLive()) {
        doRearm(r, ops & r.interest());
      }
    } finally {
      leave();
    }
  }

  // ---- waker ------------------------------------------------------------------------------

  /**
   * Attaches the one user-visible waker.
   *
   * @param token the token its events carry
   * @return the waker's identity, to pass to {@link #wakeWaker} and {@link #detachWaker}
   * @throws IllegalStateException if a waker is attached already, or the selector is closed
   */
  public final synchronized Object attachWaker(long token) {
    checkToken(token);
    enter();
    try {
      WakerState w = waker;
      if (w != null) {
        throw new IllegalStateException(
            "this Poll already has a Waker (token " + w.token + "); share it or close it first");
      }
      w = new WakerState(token);
      waker = w;
      return w;
    } finally {
      leave();
    }
  }

  /**
   * Detaches a waker; its pending wake, if any, is dropped. Does nothing if it is detached.
   *
   * @param identity what {@link #attachWaker} returned
   */
  public final synchronized void detachWaker(Object identity) {
    if (waker == identity) {
      waker = null;
    }
  }

  /**
   * Wakes the select on behalf of the waker: its token shows up as a readable event.
   *
   * @param identity what {@link #attachWaker} returned
   * @throws IllegalStateException if that waker is detached or the selector is closed
   */
  public final void wakeWaker(Object identity) {
    WakerState w = waker;
    if (w != identity) {
      throw new IllegalStateException(closed ? "Poll is closed" : "Waker is closed");
    }
    if (w.pending.compareAndSet(false, true)) {
      wakeup();
    }
  }

  /**
   * Makes a blocked (or the next) select return promptly. Coalesced: calls {@link #doWakeup()}
   * once per wake cycle. Safe from any thread, and a no-op once closed.
   */
  public final void wakeup() {
    if (!wakePending.compareAndSet(false, true)) {
      return;
    }
    if (!tryEnter()) {
      return;
    }
    try {
      doWakeup();
    } catch (IOException e) {
      // Wake handle full (EAGAIN) means a wake-up is pending anyway; other errors mean the
      // handle is broken, and the next select reports that.
    } finally {
      leave();
    }
  }

  /**
   * Called by a backend during {@link #doSelect} after it saw its wake-up handle fire and
   * drained it: re-enables {@link #doWakeup()} for the next wake cycle.
   */
  protected final void wakeupDrained() {
    wakePending.set(false);
  }

  // ---- select -----------------------------------------------------------------------------

  /**
   * Waits for events and adds them to {@code buffer}, which is cleared first.
   *
   * <p>Returns when at least one event was added, when the timeout passed, when the calling
   * thread is interrupted, or when the selector is being closed. Never returns early otherwise.
   *
   * @param buffer where events go; at most {@code buffer.capacity()} are added
   * @param timeoutNanos {@code -1} to wait without limit, {@code 0} not to block, else a bound
   * @return the number of events added
   * @throws IOException if the kernel wait fails
   * @throws IllegalStateException if the selector is closed
   */
  public final int select(EventBuffer buffer, long timeoutNanos) throws IOException {
    buffer.clear();
    enter();
    try {
      long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
      long remaining = timeoutNanos;
      for (; ; ) {
        WakerState w = waker;
        // A wake left pending by a full buffer must not wait for the kernel: its handle is drained.
        doSelect(buffer, w != null && w.pending.get() ? 0 : remaining);
        if (w != null && w.pending.get() && buffer.remaining() > 0 && w.pending.getAndSet(false)) {
          buffer.add(w.token, Ops.READABLE);
        }
        int n = buffer.size();
        if (n > 0 || timeoutNanos == 0 || closed || Thread.currentThread().isInterrupted()) {
          return n;
        }
        if (timeoutNanos > 0) {
          remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            return 0;
          }
        }
      }
    } finally {
      leave();
    }
  }

  // ---- close ------------------------------------------------------------------------------

  /**
   * Closes the selector: wakes a blocked select, waits until every operation in progress has
   * left, then releases descriptors and native memory. Idempotent.
   *
   * @throws IOException if releasing a descriptor fails (everything is released regardless)
   */
  public final void close() throws IOException {
    synchronized (this) {
      if (closed) {
        return;
      }
      closer = Thread.currentThread();
      closed = true;
      waker = null;
    }
    try {
      doWakeup();
    } catch (IOException | RuntimeException e) {
      // A select in progress then returns at its timeout; close still waits for it below.
    }
    boolean interrupted = false;
    while (users.get() != 0) {
      LockSupport.parkNanos(this, 10_000_000L); // unparked by the last leave(); 10 ms bounds a miss
      interrupted |= Thread.interrupted();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    doClose();
  }

  // ---- what a backend implements -------------------------------------------------------------

  /**
   * Adds a handle to the kernel queue.
   *
   * @param handle the handle; not closed, not registered with this selector
   * @param token the token its events carry; never {@link #RESERVED_TOKEN}
   * @param interest interest bits, not zero
   * @param mode the trigger mode
   * @return the new registration
   * @throws IOException if the kernel refuses the handle; the message names the call and errno
   */
  protected abstract Registration doRegister(
      SourceHandle handle, long token, int interest, Mode mode) throws IOException;

  /**
   * Replaces token, interest and mode of a live registration, then calls {@link
   * Registration#update}. Re-arms a {@link Mode#ONESHOT} registration.
   *
   * @param r the registration
   * @param token the new token
   * @param interest the new interest bits, not zero
   * @param mode the new mode
   * @throws IOException if the kernel refuses the change
   */
  protected abstract void doReregister(Registration r, long token, int interest, Mode mode)
      throws IOException;

  /**
   * Removes a registration (already marked dead) from the kernel queue. After it returns, no
   * select reports the registration's token.
   *
   * @param r the registration
   * @param handleClosing true when the handle is about to be closed (errors are then ignored)
   * @throws IOException if the kernel reports an error
   */
  protected abstract void doDeregister(Registration r, boolean handleClosing) throws IOException;

  /**
   * Re-arms the given directions of an {@link Mode#EDGE} registration after would-block. Only
   * called when the backend emulates edge mode; the default does nothing.
   *
   * @param r the registration
   * @param ops the directions to re-arm, a subset of its interest
   */
  protected void doRearm(Registration r, int ops) {}

  /**
   * One kernel wait. Adds at most {@code buffer.remaining()} events. May return with none (on
   * EINTR, an internal wake-up, or spuriously): {@link #select} decides whether to wait again.
   * Sub-millisecond timeouts are rounded up, never down to zero.
   *
   * @param buffer where events go
   * @param timeoutNanos {@code -1} forever, {@code 0} do not block, else the longest wait
   * @throws IOException if the wait fails for a reason other than EINTR
   */
  protected abstract void doSelect(EventBuffer buffer, long timeoutNanos) throws IOException;

  /**
   * Signals the wake-up handle so a blocked {@link #doSelect} returns.
   *
   * @throws IOException if the signal could not be sent
   */
  protected abstract void doWakeup() throws IOException;

  /**
   * Releases every descriptor and native buffer. Called once, with no other operation running.
   *
   * @throws IOException if closing a descriptor fails
   */
  protected abstract void doClose() throws IOException;

  @Override
  public String toString() {
    return backendName + (closed ? " selector (closed)" : " selector");
  }
}
