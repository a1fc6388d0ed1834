package dev.poll4j.internal.posix.sys;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * fcntl.h: {@code fcntl}. Bound through an interface mapping because {@code fcntl} is variadic
 * (variadic arguments go on the stack on Apple silicon, which direct mapping cannot express).
 * Not used on hot paths.
 */
public final class Fcntl {
  /** The constants of {@code fcntl.h}: name, Linux, macOS, FreeBSD, OpenBSD, NetBSD;
   * none of them exists on Windows. */
  public static final OsConstants TABLE =
      new OsConstants(
          "fcntl.h",
          "F_GETFD", 1, 1, 1, 1, 1, OsConstants.NONE,
          "F_SETFD", 2, 2, 2, 2, 2, OsConstants.NONE,
          "F_GETFL", 3, 3, 3, 3, 3, OsConstants.NONE,
          "F_SETFL", 4, 4, 4, 4, 4, OsConstants.NONE,
          "FD_CLOEXEC", 1, 1, 1, 1, 1, OsConstants.NONE);

  /** {@code F_GETFD}: read the descriptor flags. */
  public static final int F_GETFD = TABLE.value("F_GETFD");
  /** {@code F_SETFD}: set the descriptor flags. */
  public static final int F_SETFD = TABLE.value("F_SETFD");
  /** {@code F_GETFL}: read the file status flags. */
  public static final int F_GETFL = TABLE.value("F_GETFL");
  /** {@code F_SETFL}: set the file status flags. */
  public static final int F_SETFL = TABLE.value("F_SETFL");
  /** {@code FD_CLOEXEC}. */
  public static final int FD_CLOEXEC = TABLE.value("FD_CLOEXEC");

  private interface LibC extends Library {
    int fcntl(int fd, int cmd, Object... args);
  }

  private static final LibC LIBC = Native.load(Platform.C_LIBRARY_NAME, LibC.class);

  private Fcntl() {}

  /**
   * {@code int fcntl(int fd, int cmd)}.
   *
   * @param fd the descriptor
   * @param cmd a command without argument, such as {@link #F_GETFD}
   * @return the command's result, or -1 on error
   */
  public static int fcntl(int fd, int cmd) {
    return LIBC.fcntl(fd, cmd);
  }

  /**
   * {@code int fcntl(int fd, int cmd, int arg)}.
   *
   * @param fd the descriptor
   * @param cmd a command with an int argument, such as {@link #F_SETFL}
   * @param arg the argument
   * @return the command's result, or -1 on error
   */
  public static int fcntl(int fd, int cmd, int arg) {
    return LIBC.fcntl(fd, cmd, arg);
  }
}
