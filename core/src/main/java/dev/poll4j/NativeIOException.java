package dev.poll4j;

import java.io.IOException;

/**
 * A native call failed with an errno (or a Windows error code) that has no closer Java type.
 *
 * <p>The message names the call, the error's symbolic name and the OS message, for example
 * {@code epoll_ctl(ADD) failed: EBADF (Bad file descriptor)}, optionally followed by what it
 * means for the caller.
 */
public final class NativeIOException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The native call, such as {@code epoll_ctl(ADD)}. */
  private final String call;
  /** The errno value (POSIX) or error code (Windows). */
  private final int errno;
  /** The symbolic name of {@link #errno}, such as {@code EBADF}. */
  private final String errnoName;

  /**
   * Creates the exception.
   *
   * @param call the native call, such as {@code epoll_ctl(ADD)}
   * @param errno the error number
   * @param errnoName the symbolic name, such as {@code EBADF}
   * @param message the OS message (strerror)
   * @param detail what it means for the caller, or null
   */
  public NativeIOException(
      String call, int errno, String errnoName, String message, String detail) {
    super(call + " failed: " + errnoName + " (" + message + ")" + (detail == null ? "" : ": " + detail));
    this.call = call;
    this.errno = errno;
    this.errnoName = errnoName;
  }

  /**
   * The native call that failed.
   *
   * @return the call, such as {@code epoll_ctl(ADD)}
   */
  public String call() {
    return call;
  }

  /**
   * The error number.
   *
   * @return errno (POSIX) or the Windows error code
   */
  public int errno() {
    return errno;
  }

  /**
   * The symbolic name of the error.
   *
   * @return a name such as {@code EBADF}
   */
  public String errnoName() {
    return errnoName;
  }
}
