package dev.poll4j.internal.posix.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * errno: the last error of the calling thread, its symbolic name, and strerror.
 *
 * <p>{@link #errno()} reads the value JNA saved right after the last native call on this thread,
 * so it must be called immediately after the call that failed, before any other native call. The
 * numbers differ between systems (EAGAIN is 11 on Linux, 35 on macOS and the BSDs), so they come
 * from {@link #TABLE}, one column per {@link Os}.
 */
public final class Errno {
  /** The error numbers of {@code errno.h}: name, Linux, macOS, FreeBSD, OpenBSD, NetBSD. */
  public static final OsConstants TABLE =
      new OsConstants(
          "errno.h",
      "EPERM", 1, 1, 1, 1, 1,
      "ENOENT", 2, 2, 2, 2, 2,
      "ESRCH", 3, 3, 3, 3, 3,
      "EINTR", 4, 4, 4, 4, 4,
      "EIO", 5, 5, 5, 5, 5,
      "ENXIO", 6, 6, 6, 6, 6,
      "E2BIG", 7, 7, 7, 7, 7,
      "ENOEXEC", 8, 8, 8, 8, 8,
      "EBADF", 9, 9, 9, 9, 9,
      "ECHILD", 10, 10, 10, 10, 10,
      "EAGAIN", 11, 35, 35, 35, 35,
      "ENOMEM", 12, 12, 12, 12, 12,
      "EACCES", 13, 13, 13, 13, 13,
      "EFAULT", 14, 14, 14, 14, 14,
      "EBUSY", 16, 16, 16, 16, 16,
      "EEXIST", 17, 17, 17, 17, 17,
      "EXDEV", 18, 18, 18, 18, 18,
      "ENOTDIR", 20, 20, 20, 20, 20,
      "EISDIR", 21, 21, 21, 21, 21,
      "EINVAL", 22, 22, 22, 22, 22,
      "ENFILE", 23, 23, 23, 23, 23,
      "EMFILE", 24, 24, 24, 24, 24,
      "ENOTTY", 25, 25, 25, 25, 25,
      "EFBIG", 27, 27, 27, 27, 27,
      "ENOSPC", 28, 28, 28, 28, 28,
      "ESPIPE", 29, 29, 29, 29, 29,
      "EROFS", 30, 30, 30, 30, 30,
      "EPIPE", 32, 32, 32, 32, 32,
      "ERANGE", 34, 34, 34, 34, 34,
      "EDEADLK", 35, 11, 11, 11, 11,
      "ENAMETOOLONG", 36, 63, 63, 63, 63,
      "ENOSYS", 38, 78, 78, 78, 78,
      "ELOOP", 40, 62, 62, 62, 62,
      "ENOTSOCK", 88, 38, 38, 38, 38,
      "EDESTADDRREQ", 89, 39, 39, 39, 39,
      "EMSGSIZE", 90, 40, 40, 40, 40,
      "EPROTOTYPE", 91, 41, 41, 41, 41,
      "ENOPROTOOPT", 92, 42, 42, 42, 42,
      "EPROTONOSUPPORT", 93, 43, 43, 43, 43,
      "EOPNOTSUPP", 95, 102, 45, 45, 45,
      "EAFNOSUPPORT", 97, 47, 47, 47, 47,
      "EADDRINUSE", 98, 48, 48, 48, 48,
      "EADDRNOTAVAIL", 99, 49, 49, 49, 49,
      "ENETDOWN", 100, 50, 50, 50, 50,
      "ENETUNREACH", 101, 51, 51, 51, 51,
      "ECONNABORTED", 103, 53, 53, 53, 53,
      "ECONNRESET", 104, 54, 54, 54, 54,
      "ENOBUFS", 105, 55, 55, 55, 55,
      "EISCONN", 106, 56, 56, 56, 56,
      "ENOTCONN", 107, 57, 57, 57, 57,
      "ETIMEDOUT", 110, 60, 60, 60, 60,
      "ECONNREFUSED", 111, 61, 61, 61, 61,
      "EHOSTUNREACH", 113, 65, 65, 65, 65,
      "EALREADY", 114, 37, 37, 37, 37,
      "EINPROGRESS", 115, 36, 36, 36, 36,
      "ECANCELED", 125, 89, 85, 88, 87
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

  private static final String[] NAMES = names();

  static {
    Native.register(Errno.class, Platform.C_LIBRARY_NAME);
  }

  private Errno() {}

  private static String[] names() {
    Os os = Os.current();
    int max = 0;
    for (int[] values : TABLE.rows().values()) {
      max = Math.max(max, values[os.ordinal()]);
    }
    String[] names = new String[max + 1];
    TABLE.rows().forEach((name, values) -> names[values[os.ordinal()]] = name);
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
   * @return a name such as {@code EBADF}, or {@code errno N} when unknown
   */
  public static String name(int errno) {
    String n = errno >= 0 && errno < NAMES.length ? NAMES[errno] : null;
    return n != null ? n : "errno " + errno;
  }

  /**
   * The OS message for an error number.
   *
   * @param errno the error number
   * @return the message, such as {@code Bad file descriptor}
   */
  public static String message(int errno) {
    String s = strerror(errno);
    return s != null ? s : "Unknown error " + errno;
  }

  // -- Native methods --

  private static native String strerror(int errnum);
}
