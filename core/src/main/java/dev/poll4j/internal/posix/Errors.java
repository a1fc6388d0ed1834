package dev.poll4j.internal.posix;

import dev.poll4j.NativeIOException;
import dev.poll4j.internal.posix.sys.Errno;

/**
 * The one translator from POSIX errno values to exceptions. Messages follow {@code "<call>
 * failed: <ERRNO> (<strerror>)"}, optionally with what the error means for the caller.
 */
public final class Errors {
  private Errors() {}

  /**
   * The exception for a failed call with a known errno.
   *
   * @param call the native call, such as {@code epoll_ctl(ADD)}
   * @param errno the error number
   * @return the exception to throw
   */
  public static NativeIOException exception(String call, int errno) {
    return exception(call, errno, null);
  }

  /**
   * The exception for a failed call with a known errno and an explanation.
   *
   * @param call the native call
   * @param errno the error number
   * @param detail what the error means here, or null
   * @return the exception to throw
   */
  public static NativeIOException exception(String call, int errno, String detail) {
    return new NativeIOException(call, errno, Errno.name(errno), Errno.message(errno), detail);
  }

  /**
   * Describes the usual meaning of an errno when registering a descriptor with a kernel queue.
   *
   * @param errno the error number from the queue's add call
   * @param fd the descriptor
   * @return a sentence for the exception message, or null
   */
  public static String registerDetail(int errno, int fd) {
    switch (errno) {
      case Errno.EBADF:
        return "descriptor " + fd + " is closed (or was never open)";
      case Errno.EPERM:
        return "descriptor " + fd + " cannot be polled: this kind of descriptor (a regular file or"
            + " a directory) is always ready and is not supported by the kernel's event queue";
      case Errno.EEXIST:
        return "descriptor " + fd + " is already registered with this Poll (through another"
            + " Source for the same descriptor)";
      case Errno.ENOENT:
        return "descriptor " + fd + " is not registered with this Poll";
      case Errno.ENOSPC:
        return "the per-user limit of watched descriptors is reached"
            + " (/proc/sys/fs/epoll/max_user_watches)";
      default:
        return null;
    }
  }
}
