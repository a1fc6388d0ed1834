package dev.poll4j.internal.posix.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * unistd.h: {@code read}, {@code write}, {@code close}, {@code pipe2}. JNA direct mapping with
 * primitive and address arguments only; errors are read with {@link Errno#errno()}.
 */
public final class Unistd {
  /** {@code O_NONBLOCK} (Linux x86-64 and aarch64). */
  public static final int O_NONBLOCK = 0x800;
  /** {@code O_CLOEXEC} (Linux x86-64 and aarch64). */
  public static final int O_CLOEXEC = 0x80000;

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
   * {@code int pipe2(int pipefd[2], int flags)}.
   *
   * @param pipefd receives the read end at 0 and the write end at 1
   * @param flags {@link #O_NONBLOCK}, {@link #O_CLOEXEC}
   * @return 0, or -1 on error
   */
  public static native int pipe2(int[] pipefd, int flags);

  /**
   * {@code int dup(int oldfd)}.
   *
   * @param oldfd the descriptor to duplicate
   * @return the new descriptor, or -1 on error
   */
  public static native int dup(int oldfd);
}
