package dev.poll4j.internal.posix.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * errno: the last error of the calling thread, its symbolic name, and strerror.
 *
 * <p>{@link #errno()} reads the value JNA saved right after the last native call on this thread,
 * so it must be called immediately after the call that failed, before any other native call.
 * Values below are Linux's ({@code asm-generic/errno-base.h}, {@code errno.h}); other systems get
 * their own table when their backend lands.
 */
public final class Errno {
  // -- Linux values (x86-64 and aarch64 share them) --
  /** {@code EPERM}. */
  public static final int EPERM = 1;
  /** {@code ENOENT}. */
  public static final int ENOENT = 2;
  /** {@code EINTR}. */
  public static final int EINTR = 4;
  /** {@code EIO}. */
  public static final int EIO = 5;
  /** {@code EBADF}. */
  public static final int EBADF = 9;
  /** {@code EAGAIN}. */
  public static final int EAGAIN = 11;
  /** {@code ENOMEM}. */
  public static final int ENOMEM = 12;
  /** {@code EACCES}. */
  public static final int EACCES = 13;
  /** {@code EFAULT}. */
  public static final int EFAULT = 14;
  /** {@code EEXIST}. */
  public static final int EEXIST = 17;
  /** {@code ENOTDIR}. */
  public static final int ENOTDIR = 20;
  /** {@code EISDIR}. */
  public static final int EISDIR = 21;
  /** {@code EINVAL}. */
  public static final int EINVAL = 22;
  /** {@code ENFILE}. */
  public static final int ENFILE = 23;
  /** {@code EMFILE}. */
  public static final int EMFILE = 24;
  /** {@code ENOSPC}. */
  public static final int ENOSPC = 28;
  /** {@code ESPIPE}. */
  public static final int ESPIPE = 29;
  /** {@code EPIPE}. */
  public static final int EPIPE = 32;
  /** {@code ENOSYS}. */
  public static final int ENOSYS = 38;
  /** {@code ELOOP}. */
  public static final int ELOOP = 40;
  /** {@code ENOTSOCK}. */
  public static final int ENOTSOCK = 88;
  /** {@code EMSGSIZE}. */
  public static final int EMSGSIZE = 90;
  /** {@code EOPNOTSUPP}. */
  public static final int EOPNOTSUPP = 95;
  /** {@code EAFNOSUPPORT}. */
  public static final int EAFNOSUPPORT = 97;
  /** {@code EADDRINUSE}. */
  public static final int EADDRINUSE = 98;
  /** {@code EADDRNOTAVAIL}. */
  public static final int EADDRNOTAVAIL = 99;
  /** {@code ENETUNREACH}. */
  public static final int ENETUNREACH = 101;
  /** {@code ECONNABORTED}. */
  public static final int ECONNABORTED = 103;
  /** {@code ECONNRESET}. */
  public static final int ECONNRESET = 104;
  /** {@code EISCONN}. */
  public static final int EISCONN = 106;
  /** {@code ENOTCONN}. */
  public static final int ENOTCONN = 107;
  /** {@code ETIMEDOUT}. */
  public static final int ETIMEDOUT = 110;
  /** {@code ECONNREFUSED}. */
  public static final int ECONNREFUSED = 111;
  /** {@code EHOSTUNREACH}. */
  public static final int EHOSTUNREACH = 113;
  /** {@code EALREADY}. */
  public static final int EALREADY = 114;
  /** {@code EINPROGRESS}. */
  public static final int EINPROGRESS = 115;

  private static final String[] NAMES = new String[134];

  static {
    if (!Platform.isLinux()) {
      // The table above is Linux's. Refuse to misname errors elsewhere.
      throw new ExceptionInInitializerError(
          "poll4j's errno table covers Linux only so far; this OS is " + System.getProperty("os.name"));
    }
    String[] pairs = {
      "EPERM", "1", "ENOENT", "2", "ESRCH", "3", "EINTR", "4", "EIO", "5", "ENXIO", "6",
      "E2BIG", "7", "ENOEXEC", "8", "EBADF", "9", "ECHILD", "10", "EAGAIN", "11", "ENOMEM", "12",
      "EACCES", "13", "EFAULT", "14", "EBUSY", "16", "EEXIST", "17", "EXDEV", "18", "ENODEV",
      "19", "ENOTDIR", "20", "EISDIR", "21", "EINVAL", "22", "ENFILE", "23", "EMFILE", "24",
      "ENOTTY", "25", "EFBIG", "27", "ENOSPC", "28", "ESPIPE", "29", "EROFS", "30", "EMLINK",
      "31", "EPIPE", "32", "ERANGE", "34", "EDEADLK", "35", "ENAMETOOLONG", "36", "ENOSYS", "38",
      "ELOOP", "40", "ENOTSOCK", "88", "EDESTADDRREQ", "89", "EMSGSIZE", "90", "EPROTOTYPE", "91",
      "ENOPROTOOPT", "92", "EPROTONOSUPPORT", "93", "EOPNOTSUPP", "95", "EAFNOSUPPORT", "97",
      "EADDRINUSE", "98", "EADDRNOTAVAIL", "99", "ENETDOWN", "100", "ENETUNREACH", "101",
      "ECONNABORTED", "103", "ECONNRESET", "104", "ENOBUFS", "105", "EISCONN", "106",
      "ENOTCONN", "107", "ETIMEDOUT", "110", "ECONNREFUSED", "111", "EHOSTUNREACH", "113",
      "EALREADY", "114", "EINPROGRESS", "115", "ECANCELED", "125",
    };
    for (int i = 0; i < pairs.length; i += 2) {
      NAMES[Integer.parseInt(pairs[i + 1])] = pairs[i];
    }
    Native.register(Errno.class, Platform.C_LIBRARY_NAME);
  }

  private Errno() {}

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
