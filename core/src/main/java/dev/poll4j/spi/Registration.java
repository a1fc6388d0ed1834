package dev.poll4j.spi;

import dev.poll4j.Mode;

/**
 * One source registered with one selector: its token, interest and mode.
 *
 * <p>Created by {@link BackendSelector#doRegister}; backends that keep per-registration state
 * (armed bits, an index into a native array, a socket state machine) subclass it. The fields
 * below change only inside the selector's register, reregister and deregister calls; the select
 * thread reads them, so they are volatile.
 */
public class Registration {
  private final BackendSelector selector;
  private final SourceHandle handle;
  private volatile long token;
  private volatile int interest;
  private volatile Mode mode;
  // False once deregistered (or dropped because the handle was closed): the select thread uses
  // it to discard events that raced a deregister.
  private volatile boolean live = true;

  /**
   * Creates the record for one registration.
   *
   * @param selector the selector that owns it
   * @param handle the handle that is registered
   * @param token the user's token
   * @param interest interest bits from {@link Ops}, never zero
   * @param mode the trigger mode
   */
  protected Registration(
      BackendSelector selector, SourceHandle handle, long token, int interest, Mode mode) {
    this.selector = selector;
    this.handle = handle;
    this.token = token;
    this.interest = interest;
    this.mode = mode;
  }

  /**
   * The selector this registration belongs to.
   *
   * @return the owning selector
   */
  public final BackendSelector selector() {
    return selector;
  }

  /**
   * The registered handle.
   *
   * @return the handle given at registration
   */
  public final SourceHandle handle() {
    return handle;
  }

  /**
   * The current token.
   *
   * @return the token events of this registration carry
   */
  public final long token() {
    return token;
  }

  /**
   * The current interest.
   *
   * @return interest bits from {@link Ops}
   */
  public final int interest() {
    return interest;
  }

  /**
   * The current mode.
   *
   * @return the trigger mode
   */
  public final Mode mode() {
    return mode;
  }

  /**
   * Whether the registration is still in force.
   *
   * @return false after deregistration
   */
  public final boolean isLive() {
    return live;
  }

  /**
   * Replaces token, interest and mode; backends call it from {@link BackendSelector#doReregister}
   * once the kernel accepted the change.
   *
   * @param token the new token
   * @param interest the new interest bits
   * @param mode the new mode
   */
  public final void update(long token, int interest, Mode mode) {
    this.token = token;
    this.interest = interest;
    this.mode = mode;
  }

  /** Marks the registration as ended; later events for it are discarded. */
  protected final void kill() {
    live = false;
  }

  @Override
  public String toString() {
    return "Registration[" + handle + ", token=" + token + ", " + Ops.toString(interest) + ", "
        + mode + (live ? "" : ", dead") + "]";
  }
}
