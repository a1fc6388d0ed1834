package dev.poll4j.it.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.Os;

/**
 * The few libc calls the conformance suite needs to make sources and conditions that poll4j itself
 * does not offer: raw reads and writes, a thread-directed signal (to cause {@code EINTR}), and the
 * open-files limit (to cause {@code EMFILE}). Linux's eventfd is bound apart, in {@link Eventfd}.
 *
 * <p>Test code only; the constants that differ between systems come from poll4j's own tables.
 */
public final class Libc {
  /** {@code EAGAIN} on this system (11 on Linux, 35 on macOS and the BSDs). */
  public static final int EAGAIN = Errno.EAGAIN;

  /** {@code SIGWINCH}: ignored by default, so only a handler makes it interrupt a call. */
  public static final int SIGWINCH = 28;

  /** {@code EMFILE}: the process is at its open-files limit. */
  public static final int EMFILE = Errno.EMFILE;

  /** {@code RLIMIT_NOFILE}: 7 on Linux, 8 on macOS and the BSDs. */
  public static final int RLIMIT_NOFILE = Os.current() == Os.LINUX ? 7 : 8;

  static {
    Native.register(Libc.class, Platform.C_LIBRARY_NAME);
  }

  private Libc() {}

  /**
   * The errno of the last native call on this thread.
   *
   * @return the error number
   */
  public static int errno() {
    return Native.getLastError();
  }

  // -- Native methods --

  /**
   * {@code int dup(int oldfd)}.
   *
   * @param oldfd the descriptor to duplicate
   * @return the new descriptor, or -1
   */
  public static native int dup(int oldfd);

  /**
   * {@code ssize_t read(int fd, void *buf, size_t count)} into a {@code long[]}.
   *
   * @param fd the descriptor
   * @param buf where the bytes go
   * @param count bytes to read
   * @return bytes read, or -1
   */
  public static native long read(int fd, long[] buf, long count);

  /**
   * {@code ssize_t write(int fd, const void *buf, size_t count)} from a {@code long[]}.
   *
   * @param fd the descriptor
   * @param buf the bytes
   * @param count bytes to write
   * @return bytes written, or -1
   */
  public static native long write(int fd, long[] buf, long count);

  /**
   * {@code int close(int fd)}.
   *
   * @param fd the descriptor
   * @return 0, or -1
   */
  public static native int close(int fd);

  /**
   * {@code pthread_t pthread_self(void)}; {@code pthread_t} is an unsigned long on Linux, a pointer on macOS and the BSDs.
   *
   * @return the calling thread's handle
   */
  public static native long pthread_self();

  /**
   * {@code int pthread_kill(pthread_t thread, int sig)}.
   *
   * @param thread the target, from {@link #pthread_self()}
   * @param sig the signal
   * @return 0, or an error number
   */
  public static native int pthread_kill(long thread, int sig);

  /**
   * {@code int getrlimit(int resource, struct rlimit *rlim)}. On LP64 systems {@code struct
   * rlimit} is {@code {rlim_t rlim_cur; rlim_t rlim_max;}}, two 64-bit words: a {@code long[2]}.
   *
   * @param resource such as {@link #RLIMIT_NOFILE}
   * @param rlim receives {@code {soft, hard}}
   * @return 0, or -1
   */
  public static native int getrlimit(int resource, long[] rlim);

  /**
   * {@code int setrlimit(int resource, const struct rlimit *rlim)}.
   *
   * @param resource such as {@link #RLIMIT_NOFILE}
   * @param rlim {@code {soft, hard}}
   * @return 0, or -1
   */
  public static native int setrlimit(int resource, long[] rlim);
}
