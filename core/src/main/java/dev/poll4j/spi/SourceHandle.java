package dev.poll4j.spi;

import dev.poll4j.Mode;
import java.io.IOException;

/**
 * The OS handle behind a {@code Source}, and the bookkeeping that ties it to at most one
 * registration at a time.
 *
 * <p>On POSIX systems the handle is a file descriptor; on Windows it is a {@code SOCKET}. A
 * handle is either <em>owned</em> (poll4j created the descriptor and closes it: pipes, sockets)
 * or <em>borrowed</em> ({@code RawFd}: the caller owns the descriptor and closes it).
 *
 * <p>The would-block hook: every I/O call of a poll4j source that returns would-block calls
 * {@link #wouldBlock(int)}. Backends that emulate edge-triggered mode (poll(2), IOCP) re-arm the
 * registration there; on epoll and kqueue it costs one field read.
 *
 * <p>Directions: a source whose OS handle can become ready in more directions than the source
 * itself narrows them once, before it is registered ({@link #narrowDirections}). The one such
 * source is a {@code Pipe} end on Windows, a loopback TCP socket: the read end's socket is
 * writable and the write end's could be readable, which a pipe end never is. The backends that
 * arm registrations bit by bit (poll(2), IOCP) ask the OS only for {@code interest &
 * directions()}, so a direction the source cannot have never fires; epoll and kqueue only ever
 * see handles whose directions are all of them.
 */
public final class SourceHandle {
  /** Closes an owned OS handle. */
  @FunctionalInterface
  public interface Closer {
    /**
     * Closes the OS handle.
     *
     * @param handle the descriptor or SOCKET value
     * @throws IOException if the OS reports an error
     */
    void close(long handle) throws IOException;
  }

  private final long value;
  private final String kind;
  // Null for a borrowed handle: the caller closes it.
  private final Closer closer;
  // The registration in force, or null. Written under the monitor, read without it.
  private volatile Registration registration;
  // The Ops interest bits this source can ever be ready for; narrowed once, before registering.
  private volatile int directions = Ops.ALL_INTEREST;
  private volatile boolean closed;

  private SourceHandle(long value, String kind, Closer closer) {
    if (value < 0) {
      throw new IllegalArgumentException("handle < 0: " + value);
    }
    this.value = value;
    this.kind = kind;
    this.closer = closer;
  }

  /**
   * Wraps a handle that poll4j owns and closes.
   *
   * @param value the descriptor or SOCKET value, {@code >= 0}
   * @param kind a short description for messages, such as {@code "pipe reader"}
   * @param closer closes the OS handle
   * @return the handle
   */
  public static SourceHandle owned(long value, String kind, Closer closer) {
    if (closer == null) {
      throw new NullPointerException("closer");
    }
    return new SourceHandle(value, kind, closer);
  }

  /**
   * Wraps a handle that the caller owns; poll4j never closes it.
   *
   * @param value the descriptor or SOCKET value, {@code >= 0}
   * @param kind a short description for messages, such as {@code "fd"}
   * @return the handle
   */
  public static SourceHandle borrowed(long value, String kind) {
    return new SourceHandle(value, kind, null);
  }

  /**
   * The OS handle value.
   *
   * @return the descriptor or SOCKET value
   */
  public long value() {
    return value;
  }

  /**
   * The handle as a POSIX file descriptor.
   *
   * @return the descriptor
   */
  public int fd() {
    return (int) value;
  }

  /**
   * The readiness directions this source can have: a subset of {@link Ops#ALL_INTEREST}, all of
   * them unless {@link #narrowDirections} was called.
   *
   * @return {@link Ops} interest bits
   */
  public int directions() {
    return directions;
  }

  /**
   * Narrows the directions of a source whose OS handle is broader than the source (see the class
   * comment). Must be called before the first registration.
   *
   * @param directions {@link Ops} interest bits, a non-empty subset of the current directions
   * @throws IllegalArgumentException if {@code directions} is empty or not such a subset
   * @throws IllegalStateException if the handle is registered or closed
   */
  public synchronized void narrowDirections(int directions) {
    if (directions == 0 || (directions & ~this.directions) != 0) {
      throw new IllegalArgumentException(
          "directions must be a non-empty subset of "
              + Ops.toString(this.directions)
              + ": "
              + Ops.toString(directions));
    }
    if (closed || registration != null) {
      throw new IllegalStateException(
          "directions are narrowed before the first registration: " + this);
    }
    this.directions = directions;
  }

  /**
   * Whether {@link #close()} has been called.
   *
   * @return true once closed
   */
  public boolean isClosed() {
    return closed;
  }

  /**
   * The registration in force, if any.
   *
   * @return the registration, or null when the handle is not registered
   */
  public Registration registration() {
    return registration;
  }

  /**
   * Registers this handle with {@code selector}. At most one registration exists per handle.
   *
   * @param selector the selector to register with
   * @param token the token events will carry
   * @param interest interest bits from {@link Ops}, not zero
   * @param mode the trigger mode
   * @throws IOException if the backend refuses the handle
   * @throws IllegalStateException if the handle is closed or already registered
   */
  public synchronized void register(BackendSelector selector, long token, int interest, Mode mode)
      throws IOException {
    if (closed) {
      throw new IllegalStateException("cannot register a closed source: " + this);
    }
    Registration current = registration;
    if (current != null && current.selector().isClosed()) {
      current = registration = null; // its Poll was closed: the registration ended with it
    }
    if (current != null) {
      throw new IllegalStateException(
          "source already registered"
              + (current.selector() == selector ? "" : " with another Poll")
              + ": "
              + this
              + " (token "
              + current.token()
              + "); use reregister to change it");
    }
    registration = selector.register(this, token, interest, mode);
  }

  /**
   * Changes token, interest and mode of the registration with {@code selector}.
   *
   * @param selector the selector the handle must be registered with
   * @param token the new token
   * @param interest the new interest bits, not zero
   * @param mode the new mode
   * @throws IOException if the backend refuses the change
   * @throws IllegalStateException if the handle is not registered with {@code selector}
   */
  public synchronized void reregister(
      BackendSelector selector, long token, int interest, Mode mode) throws IOException {
    selector.reregister(registeredWith(selector, "reregister"), token, interest, mode);
  }

  /**
   * Ends the registration with {@code selector}; no later select reports its token.
   *
   * @param selector the selector the handle must be registered with
   * @throws IOException if the backend reports an error (the registration is gone regardless)
   * @throws IllegalStateException if the handle is not registered with {@code selector}
   */
  public synchronized void deregister(BackendSelector selector) throws IOException {
    Registration r = registeredWith(selector, "deregister");
    registration = null;
    selector.deregister(r);
  }

  private Registration registeredWith(BackendSelector selector, String op) {
    if (closed) {
      throw new IllegalStateException("cannot " + op + " a closed source: " + this);
    }
    Registration r = registration;
    if (r == null || r.selector() != selector) {
      throw new IllegalStateException(
          "cannot " + op + ": source is not registered with this Poll: " + this);
    }
    return r;
  }

  /**
   * The would-block hook: an I/O call on this handle just returned would-block for {@code ops}.
   * Cheap when the backend does not emulate edge mode.
   *
   * @param ops {@link Ops#READABLE} and/or {@link Ops#WRITABLE}
   */
  public void wouldBlock(int ops) {
    Registration r = registration;
    if (r != null) {
      r.selector().wouldBlock(r, ops);
    }
  }

  /**
   * Closes the handle: ends its registration if one is in force, then, for an owned handle,
   * closes the OS handle. Idempotent.
   *
   * @throws IOException if closing the OS handle fails
   */
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    Registration r = registration;
    registration = null;
    if (r != null) {
      r.selector().forget(r);
    }
    if (closer != null) {
      closer.close(value);
    }
  }

  @Override
  public String toString() {
    return kind + " " + value + (closed ? " (closed)" : "");
  }
}
