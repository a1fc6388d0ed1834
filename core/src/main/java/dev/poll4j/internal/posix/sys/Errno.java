package dev.poll4j.internal.posix.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.poll4j.internal.windows.sys.WinError;

/**
 * errno: the last error of the calling thread, its symbolic name, and strerror.
 *
 * <p>{@link #errno()} reads the value JNA saved right after the last native call on this thread,
 * so it must be called immediately after the call that failed, before any other native call. The
 * numbers differ between systems (EAGAIN is 11 on Linux, 35 on macOS and the BSDs), so they come
 * from {@link #TABLE}, one column per {@link Os}.
 *
 * <p>On Windows the socket calls report {@code WSAGetLastError()} codes, not errno values: JNA
 * saves the thread's last error ({@code GetLastError}, which is where Winsock keeps it) right
 * after each call, and {@link #errno()} returns that. The Windows column of {@link #TABLE}
 * therefore holds, for each POSIX name, the Winsock code that reports the same condition ({@code
 * EAGAIN} is {@code WSAEWOULDBLOCK}; {@code EBADF} is {@code WSAENOTSOCK}, which Winsock returns
 * for a closed socket; {@code EPIPE} is {@code WSAESHUTDOWN}), {@link OsConstants#NONE} where
 * Winsock has none; {@link #name} and {@link #message} give the Winsock names there ({@link
 * WinError}).
 */
public final class Errno {
  /**
   * The error numbers of {@code errno.h}: name, Linux, macOS, FreeBSD, OpenBSD, NetBSD, and the
   * Winsock code for the same condition on Windows.
   */
  public static final OsConstants TABLE =
      new OsConstants(
          "errno.h",
      "EPERM", 1, 1, 1, 1, 1, OsConstants.NONE,
      "ENOENT", 2, 2, 2, 2, 2, OsConstants.NONE,
      "ESRCH", 3, 3, 3, 3, 3, OsConstants.NONE,
      "EINTR", 4, 4, 4, 4, 4, WinError.WSAEINTR,
      "EIO", 5, 5, 5, 5, 5, OsConstants.NONE,
      "ENXIO", 6, 6, 6, 6, 6, OsConstants.NONE,
      "E2BIG", 7, 7, 7, 7, 7, OsConstants.NONE,
      "ENOEXEC", 8, 8, 8, 8, 8, OsConstants.NONE,
      "EBADF", 9, 9, 9, 9, 9, WinError.WSAENOTSOCK,
      "ECHILD", 10, 10, 10, 10, 10, OsConstants.NONE,
      "EAGAIN", 11, 35, 35, 35, 35, WinError.WSAEWOULDBLOCK,
      "ENOMEM", 12, 12, 12, 12, 12, OsConstants.NONE,
      "EACCES", 13, 13, 13, 13, 13, WinError.WSAEACCES,
      "EFAULT", 14, 14, 14, 14, 14, WinError.WSAEFAULT,
      "EBUSY", 16, 16, 16, 16, 16, OsConstants.NONE,
      "EEXIST", 17, 17, 17, 17, 17, OsConstants.NONE,
      "EXDEV", 18, 18, 18, 18, 18, OsConstants.NONE,
      "ENOTDIR", 20, 20, 20, 20, 20, OsConstants.NONE,
      "EISDIR", 21, 21, 21, 21, 21, OsConstants.NONE,
      "EINVAL", 22, 22, 22, 22, 22, WinError.WSAEINVAL,
      "ENFILE", 23, 23, 23, 23, 23, OsConstants.NONE,
      "EMFILE", 24, 24, 24, 24, 24, WinError.WSAEMFILE,
      "ENOTTY", 25, 25, 25, 25, 25, OsConstants.NONE,
      "EFBIG", 27, 27, 27, 27, 27, OsConstants.NONE,
      "ENOSPC", 28, 28, 28, 28, 28, OsConstants.NONE,
      "ESPIPE", 29, 29, 29, 29, 29, OsConstants.NONE,
      "EROFS", 30, 30, 30, 30, 30, OsConstants.NONE,
      "EPIPE", 32, 32, 32, 32, 32, WinError.WSAESHUTDOWN,
      "ERANGE", 34, 34, 34, 34, 34, OsConstants.NONE,
      "EDEADLK", 35, 11, 11, 11, 11, OsConstants.NONE,
      "ENAMETOOLONG", 36, 63, 63, 63, 63, WinError.WSAENAMETOOLONG,
      "ENOSYS", 38, 78, 78, 78, 78, OsConstants.NONE,
      "ELOOP", 40, 62, 62, 62, 62, WinError.WSAELOOP,
      "ENOTSOCK", 88, 38, 38, 38, 38, WinError.WSAENOTSOCK,
      "EDESTADDRREQ", 89, 39, 39, 39, 39, WinError.WSAEDESTADDRREQ,
      "EMSGSIZE", 90, 40, 40, 40, 40, WinError.WSAEMSGSIZE,
      "EPROTOTYPE", 91, 41, 41, 41, 41, WinError.WSAEPROTOTYPE,
      "ENOPROTOOPT", 92, 42, 42, 42, 42, WinError.WSAENOPROTOOPT,
      "EPROTONOSUPPORT", 93, 43, 43, 43, 43, WinError.WSAEPROTONOSUPPORT,
      "EOPNOTSUPP", 95, 102, 45, 45, 45, WinError.WSAEOPNOTSUPP,
      "EAFNOSUPPORT", 97, 47, 47, 47, 47, WinError.WSAEAFNOSUPPORT,
      "EADDRINUSE", 98, 48, 48, 48, 48, WinError.WSAEADDRINUSE,
      "EADDRNOTAVAIL", 99, 49, 49, 49, 49, WinError.WSAEADDRNOTAVAIL,
      "ENETDOWN", 100, 50, 50, 50, 50, WinError.WSAENETDOWN,
      "ENETUNREACH", 101, 51, 51, 51, 51, WinError.WSAENETUNREACH,
      "ECONNABORTED", 103, 53, 53, 53, 53, WinError.WSAECONNABORTED,
      "ECONNRESET", 104, 54, 54, 54, 54, WinError.WSAECONNRESET,
      "ENOBUFS", 105, 55, 55, 55, 55, WinError.WSAENOBUFS,
      "EISCONN", 106, 56, 56, 56, 56, WinError.WSAEISCONN,
      "ENOTCONN", 107, 57, 57, 57, 57, WinError.WSAENOTCONN,
      "ETIMEDOUT", 110, 60, 60, 60, 60, WinError.WSAETIMEDOUT,
      "ECONNREFUSED", 111, 61, 61, 61, 61, WinError.WSAECONNREFUSED,
      "EHOSTUNREACH", 113, 65, 65, 65, 65, WinError.WSAEHOSTUNREACH,
      "EALREADY", 114, 37, 37, 37, 37, WinError.WSAEALREADY,
      "EINPROGRESS", 115, 36, 36, 36, 36, WinError.WSAEINPROGRESS,
      "ECANCELED", 125, 89, 85, 88, 87, OsConstants.NONE
      );

  /** {@code EPERM}. */
  public static final int EPERM = TABLE.value("EPERM");
  /** {@code ENOENT}. */
  public static final int ENOENT = TABLE.value("ENOENT");
  /** {@code EINTR}. */
  public static final int EINTR = TABLE.value("EINTR");
  /** {@code EIO}. */
  public static final int EIO = TABLE.value("EIO");
  /** {@code EBADF}. */
  public static final int EBADF = TABLE.value("EBADF");
  /** {@code EAGAIN}. */
  public static final int EAGAIN = TABLE.value("EAGAIN");
  /** {@code ENOMEM}. */
  public static final int ENOMEM = TABLE.value("ENOMEM");
  /** {@code EACCES}. */
  public static final int EACCES = TABLE.value("EACCES");
  /** {@code EFAULT}. */
  public static final int EFAULT = TABLE.value("EFAULT");
  /** {@code EEXIST}. */
  public static final int EEXIST = TABLE.value("EEXIST");
  /** {@code ENOTDIR}. */
  public static final int ENOTDIR = TABLE.value("ENOTDIR");
  /** {@code EISDIR}. */
  public static final int EISDIR = TABLE.value("EISDIR");
  /** {@code EINVAL}. */
  public static final int EINVAL = TABLE.value("EINVAL");
  /** {@code ENFILE}. */
  public static final int ENFILE = TABLE.value("ENFILE");
  /** {@code EMFILE}. */
  public static final int EMFILE = TABLE.value("EMFILE");
  /** {@code ENOSPC}. */
  public static final int ENOSPC = TABLE.value("ENOSPC");
  /** {@code ESPIPE}. */
  public static final int ESPIPE = TABLE.value("ESPIPE");
  /** {@code EPIPE}. */
  public static final int EPIPE = TABLE.value("EPIPE");
  /** {@code ENOSYS}. */
  public static final int ENOSYS = TABLE.value("ENOSYS");
  /** {@code ELOOP}. */
  public static final int ELOOP = TABLE.value("ELOOP");
  /** {@code ENOTSOCK}. */
  public static final int ENOTSOCK = TABLE.value("ENOTSOCK");
  /** {@code EMSGSIZE}. */
  public static final int EMSGSIZE = TABLE.value("EMSGSIZE");
  /** {@code EOPNOTSUPP}. */
  public static final int EOPNOTSUPP = TABLE.value("EOPNOTSUPP");
  /** {@code EAFNOSUPPORT}. */
  public static final int EAFNOSUPPORT = TABLE.value("EAFNOSUPPORT");
  /** {@code EADDRINUSE}. */
  public static final int EADDRINUSE = TABLE.value("EADDRINUSE");
  /** {@code EADDRNOTAVAIL}. */
  public static final int EADDRNOTAVAIL = TABLE.value("EADDRNOTAVAIL");
  /** {@code ENETUNREACH}. */
  public static final int ENETUNREACH = TABLE.value("ENETUNREACH");
  /** {@code ECONNABORTED}. */
  public static final int ECONNABORTED = TABLE.value("ECONNABORTED");
  /** {@code ECONNRESET}. */
  public static final int ECONNRESET = TABLE.value("ECONNRESET");
  /** {@code EISCONN}. */
  public static final int EISCONN = TABLE.value("EISCONN");
  /** {@code ENOTCONN}. */
  public static final int ENOTCONN = TABLE.value("ENOTCONN");
  /** {@code ETIMEDOUT}. */
  public static final int ETIMEDOUT = TABLE.value("ETIMEDOUT");
  /** {@code ECONNREFUSED}. */
  public static final int ECONNREFUSED = TABLE.value("ECONNREFUSED");
  /** {@code EHOSTUNREACH}. */
  public static final int EHOSTUNREACH = TABLE.value("EHOSTUNREACH");
  /** {@code EALREADY}. */
  public static final int EALREADY = TABLE.value("EALREADY");
  /** {@code EINPROGRESS}. */
  public static final int EINPROGRESS = TABLE.value("EINPROGRESS");

  /** Whether errors are Winsock codes, named by {@link WinError} rather than this table. */
  private static final boolean WINSOCK = !Os.current().isPosix();

  private static final String[] NAMES = WINSOCK ? new String[0] : names(Os.current());

  static {
    if (!WINSOCK) { // Windows: messages come from WinError, not the C library's strerror
      Native.register(Errno.class, Platform.C_LIBRARY_NAME);
    }
  }

  private Errno() {}

  private static String[] names(Os os) {
    int max = 0;
    for (int[] values : TABLE.rows().values()) {
      max = Math.max(max, values[os.ordinal()]);
    }
    String[] names = new String[max + 1];
    TABLE.rows().forEach((name, values) -> {
      if (values[os.ordinal()] >= 0) {
        names[values[os.ordinal()]] = name;
      }
    });
    return names;
  }

  /**
   * The errno left by the last native call on this thread.
   *
   * @return the error number
   */
  public static int errno() {
    return Native.getLastError();
  }

  /**
   * The symbolic name of an error number.
   *
   * @param errno the error number
   * @return a name such as {@code EBADF}, or {@code errno N} when unknown; on Windows a Winsock
   *     name such as {@code WSAECONNRESET}
   */
  public static String name(int errno) {
    if (WINSOCK) {
      return WinError.name(errno);
    }
    String n = errno >= 0 && errno < NAMES.length ? NAMES[errno] : null;
    return n != null ? n : "errno " + errno;
  }

  /**
   * The symbolic name of an error value of another system (for tests of the error mapping).
   *
   * @param os the system
   * @param errno its error value
   * @return as {@link #name(int)} on that system: a Winsock name on Windows, a POSIX name from
   *     {@link #TABLE} otherwise
   */
  public static String name(Os os, int errno) {
    if (!os.isPosix()) {
      return WinError.name(errno);
    }
    if (os == Os.current()) {
      return name(errno);
    }
    for (java.util.Map.Entry<String, int[]> row : TABLE.rows().entrySet()) {
      if (row.getValue()[os.ordinal()] == errno) {
        return row.getKey();
      }
    }
    return "errno " + errno;
  }

  /**
   * The message for an error value of another system (for tests of the error mapping).
   *
   * @param os the system
   * @param errno its error value
   * @return the Winsock message on Windows; this host's {@code strerror} for a POSIX system
   */
  public static String message(Os os, int errno) {
    return os.isPosix() ? message(errno) : WinError.message(errno);
  }

  /**
   * The OS message for an error number.
   *
   * @param errno the error number
   * @return the message, such as {@code Bad file descriptor}
   */
  public static String message(int errno) {
    if (WINSOCK) {
      return WinError.message(errno);
    }
    String s = strerror(errno);
    return s != null ? s : "Unknown error " + errno;
  }

  // -- Native methods --

  private static native String strerror(int errnum);
}
