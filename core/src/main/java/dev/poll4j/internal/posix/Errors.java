package dev.poll4j.internal.posix;

import dev.poll4j.NativeIOException;
import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.Os;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;

/**
 * The one translator from POSIX errno values to exceptions. Messages follow {@code "<call>
 * failed: <ERRNO> (<strerror>)"}, optionally with what the error means for the caller.
 *
 * <p>On Windows the values are Winsock error codes ({@code Errno}'s Windows column maps the POSIX
 * names onto them), and messages name them: {@code "connect(..) failed: WSAECONNREFUSED
 * (Connection refused)"}. The socket mappings are pure functions of the system ({@code
 * socketException(Os, ..)}), so every system's mapping is testable on any host.
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

  /** As {@link #exception(String, int, String)}, for the errors of another system (tests). */
  static NativeIOException exception(Os os, String call, int errno, String detail) {
    return new NativeIOException(
        call, errno, Errno.name(os, errno), Errno.message(os, errno), detail);
  }

  /**
   * The exception for a failed socket call: Java's own type where one fits, else {@link
   * #exception(String, int)}. {@code ECONNREFUSED} gives a {@link ConnectException}, {@code
   * EHOSTUNREACH} and {@code ENETUNREACH} a {@link NoRouteToHostException}, {@code ECONNRESET}
   * a {@link SocketException}. The messages of the refused and reset cases are the JDK's own
   * ({@code "Connection refused"}, {@code "Connection reset"}), so code that matches on them
   * keeps working; the others name the call as usual.
   *
   * @param call the native call, such as {@code connect(127.0.0.1:80)}
   * @param errno the error number
   * @return the exception to throw
   */
  public static IOException socketException(String call, int errno) {
    return socketException(Os.current(), call, errno);
  }

  /**
   * As {@link #socketException(String, int)}, for the error values of {@code os}: a pure
   * function, so Windows' mapping ({@code WSAECONNREFUSED}, {@code WSAECONNRESET}, ...) is
   * testable on any host.
   *
   * @param os the system whose error values {@code errno} is one of
   * @param call the native call
   * @param errno the error value
   * @return the exception to throw
   */
  static IOException socketException(Os os, String call, int errno) {
    if (errno == value(os, "ECONNREFUSED")) {
      return new ConnectException("Connection refused");
    } else if (errno == value(os, "ECONNRESET")) {
      return new SocketException("Connection reset");
    } else if (errno == value(os, "EHOSTUNREACH") || errno == value(os, "ENETUNREACH")) {
      return new NoRouteToHostException(message(os, call, errno));
    }
    return exception(os, call, errno, null);
  }

  /**
   * The exception for a failed {@code bind}: a {@link BindException} for {@code EADDRINUSE},
   * {@code EADDRNOTAVAIL} and {@code EACCES}, else {@link #socketException(String, int)}.
   *
   * @param call the call, naming the address, such as {@code bind(127.0.0.1:80)}
   * @param errno the error number
   * @return the exception to throw
   */
  public static IOException bindException(String call, int errno) {
    return bindException(Os.current(), call, errno);
  }

  /**
   * As {@link #bindException(String, int)}, for the error values of {@code os} (see {@link
   * #socketException(Os, String, int)}).
   *
   * @param os the system whose error values {@code errno} is one of
   * @param call the call, naming the address
   * @param errno the error value
   * @return the exception to throw
   */
  static IOException bindException(Os os, String call, int errno) {
    if (errno == value(os, "EADDRINUSE")
        || errno == value(os, "EADDRNOTAVAIL")
        || errno == value(os, "EACCES")) {
      return new BindException(message(os, call, errno));
    }
    return socketException(os, call, errno);
  }

  // The error value of a POSIX name on os (NONE, which no call returns, where os lacks it).
  private static int value(Os os, String name) {
    return Errno.TABLE.value(name, os);
  }

  private static String message(Os os, String call, int errno) {
    return call + " failed: " + Errno.name(os, errno) + " (" + Errno.message(os, errno) + ")";
  }

  /**
   * Describes the usual meaning of an errno when registering a descriptor with a kernel queue.
   *
   * @param errno the error number from the queue's add call
   * @param fd the descriptor
   * @return a sentence for the exception message, or null
   */
  public static String registerDetail(int errno, int fd) {
    if (errno == Errno.EBADF) {
      return "descriptor " + fd + " is closed (or was never open)";
    } else if (errno == Errno.EPERM) {
      return "descriptor " + fd + " cannot be polled: this kind of descriptor (a regular file or"
          + " a directory) is always ready and is not supported by the kernel's event queue";
    } else if (errno == Errno.EEXIST) {
      return "descriptor " + fd + " is already registered with this Poll (through another"
          + " Source for the same descriptor)";
    } else if (errno == Errno.ENOENT) {
      return "descriptor " + fd + " is not registered with this Poll";
    } else if (errno == Errno.ENOSPC) {
      return "the per-user limit of watched descriptors is reached"
          + " (/proc/sys/fs/epoll/max_user_watches)";
    }
    return null;
  }
}
