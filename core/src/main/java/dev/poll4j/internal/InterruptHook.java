package dev.poll4j.internal;

import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.util.Set;

/**
 * Makes {@link Thread#interrupt()} wake a blocked poll, with the JDK's own public mechanism.
 *
 * <p>{@link AbstractSelector#begin()} installs an interrupt handler on the current thread that
 * calls {@link #wakeup()}, and calls it at once if the thread is already interrupted; {@link
 * AbstractSelector#end()} removes it. This is how the JDK's selectors make {@code select}
 * interruptible. The handler object is created once, so polls stay allocation-free. This class
 * is only that bridge: it is never used as a {@link Selector}.
 */
public final class InterruptHook extends AbstractSelector {
  private final Runnable wakeup;

  /**
   * Creates the hook.
   *
   * @param wakeup what an interrupt does: wake the poll
   */
  public InterruptHook(Runnable wakeup) {
    super(null);
    this.wakeup = wakeup;
  }

  /** Call before blocking: from now on an interrupt of this thread wakes the poll. */
  public void enter() {
    begin();
  }

  /** Call after blocking, in a {@code finally}. */
  public void leave() {
    end();
  }

  @Override
  public Selector wakeup() {
    wakeup.run();
    return this;
  }

  @Override
  protected void implCloseSelector() {}

  @Override
  protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
    throw new UnsupportedOperationException("poll4j's interrupt hook is not a Selector");
  }

  @Override
  public Set<SelectionKey> keys() {
    throw new UnsupportedOperationException("poll4j's interrupt hook is not a Selector");
  }

  @Override
  public Set<SelectionKey> selectedKeys() {
    throw new UnsupportedOperationException("poll4j's interrupt hook is not a Selector");
  }

  @Override
  public int selectNow() {
    throw new UnsupportedOperationException("poll4j's interrupt hook is not a Selector");
  }

  @Override
  public int select(long timeout) {
    throw new UnsupportedOperationException("poll4j's interrupt hook is not a Selector");
  }

  @Override
  public int select() {
    throw new UnsupportedOperationException("poll4j's interrupt hook is not a Selector");
  }
}
