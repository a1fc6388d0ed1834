package dev.poll4j.internal.posix.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * unistd.h: {@code read}, {@code write}, {@code close}, {@code pipe}, {@code dup}. JNA direct mapping with
 * primitive and address arguments only; errors are read with {@link Errno#errno()}.
 */
public final class Unistd {
  /** The constants of {@code fcntl.h}: name, Linux, macOS, FreeBSD, OpenBSD, NetBSD;
   * none of them exists on Windows. */
  public static final OsConstants TABLE =
      new OsConstants(
          "fcntl.h",
          "O_NONBLOCK", 0x800, 0x4, 0x4, 0x4, 0x4, OsConstants.NONE,
          "O_CLOEXEC", 0x80000, 0x1000000, 0x100000, 0x10000, 0x400000, OsConstants.NONE);

  /** {@code O_NONBLOCK}. */
  public static final int O_NONBLOCK = TABLE.value("O_NONBLOCK");
  /** {@code O_CLOEXEC}. */
  public static final int O_CLOEXEC = TABLE.value("O_CLOEXEC");

  static {
    Native.register(Unistd.class, Platform.C_LIBRARY_NAME);
  }

  private Unistd() {}

  // -- Native methods --

  /**
   * {@code ssize_t read(int fd, void *buf, size_t count)}.
   *
   * @param fd the descriptor
   * @param buf address of the destination
   * @param count bytes to read at most
   * @return bytes read, 0 at end of file, -1 on error
   */
  public static native long read(int fd, long buf, long count);

  /**
   * {@code ssize_t write(int fd, const void *buf, size_t count)}.
   *
   * @param fd the descriptor
   * @param buf address of the source
   * @param count bytes to write
   * @return bytes written, -1 on error
   */
  public static native long write(int fd, long buf, long count);

  /**
   * {@code int close(int fd)}.
   *
   * @param fd the descriptor
   * @return 0, or -1 on error
   */
  public static native int close(int fd);

  /**
   * {@code int pipe(int pipefd[2])}: for macOS, which lacks {@code pipe2}; the caller sets the
   * flags with {@code fcntl}.
   *
   * @param pipefd receives the read end at 0 and the write end at 1
   * @return 0, or -1 on error
   */
  public static native int pipe(int[] pipefd);

  /**
   * {@code int dup(int oldfd)}.
   *
   * @param oldfd the descriptor to duplicate
   * @return the new descriptor, or -1 on error
   */
  public static native int dup(int oldfd);
}
