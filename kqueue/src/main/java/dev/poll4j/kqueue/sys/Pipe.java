package dev.poll4j.kqueue.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * unistd.h as the pipe waker needs it on macOS and the BSDs: {@code pipe}, {@code read}, {@code
 * write}, {@code close}. Core's {@code Unistd} also binds {@code pipe2}, which macOS lacks, so it
 * cannot be registered there; this class binds only what every kqueue OS has. The caller sets
 * {@link #O_NONBLOCK} and {@code FD_CLOEXEC} with {@code fcntl}.
 */
public final class Pipe {
  /** {@code O_NONBLOCK} on macOS, FreeBSD, OpenBSD and NetBSD (Linux's is 0x800). */
  public static final int O_NONBLOCK = 0x0004;

  static {
    if (!(Platform.isMac() || Platform.isFreeBSD() || Platform.isOpenBSD() || Platform.isNetBSD())) {
      throw new ExceptionInInitializerError(
          "these bindings are for macOS and the BSDs; this is " + System.getProperty("os.name"));
    }
    Native.register(Pipe.class, Platform.C_LIBRARY_NAME);
  }

  private Pipe() {}

  // -- Native methods --

  /**
   * {@code int pipe(int fildes[2])}.
   *
   * @param fildes receives the read end at 0 and the write end at 1
   * @return 0, or -1 on error
   */
  public static native int pipe(int[] fildes);

  /**
   * {@code ssize_t read(int fd, void *buf, size_t nbyte)}.
   *
   * @param fd the descriptor
   * @param buf address of the destination
   * @param nbyte bytes to read at most
   * @return bytes read, 0 at end of file, -1 on error
   */
  public static native long read(int fd, long buf, long nbyte);

  /**
   * {@code ssize_t write(int fd, const void *buf, size_t nbyte)}.
   *
   * @param fd the descriptor
   * @param buf address of the source
   * @param nbyte bytes to write
   * @return bytes written, -1 on error
   */
  public static native long write(int fd, long buf, long nbyte);

  /**
   * {@code int close(int fd)}.
   *
   * @param fd the descriptor
   * @return 0, or -1 on error
   */
  public static native int close(int fd);
}
