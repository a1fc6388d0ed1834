package dev.poll4j.it.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The few libc calls the conformance suite needs to make sources and conditions that poll4j itself
 * does not offer: an eventfd (a descriptor that is readable and writable at once), raw reads and
 * writes on it, a thread-directed signal (to cause {@code EINTR}), and the open-files limit (to
 * cause {@code EMFILE}).
 *
 * <p>Test code only; Linux values (x86-64 and aarch64 share them).
 */
public final class Libc {
  /** {@code EFD_NONBLOCK}, equal to {@code O_NONBLOCK}. */
  public static final int EFD_NONBLOCK = 0x800;

  /** {@code EFD_CLOEXEC}, equal to {@code O_CLOEXEC}. */
  public static final int EFD_CLOEXEC = 0x80000;

  /** {@code EAGAIN}. */
  public static final int EAGAIN = 11;

  /** {@code SIGWINCH}: ignored by default, so only a handler makes it interrupt a call. */
  public static final int SIGWINCH = 28;

  /** {@code EMFILE}: the process is at its open-files limit. */
  public static final int EMFILE = 24;

  /** {@code RLIMIT_NOFILE}: one more than the highest descriptor number that can be opened. */
  public static final int RLIMIT_NOFILE = 7;

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
   * {@code int eventfd(unsigned int initval, int flags)}.
   *
   * @param initval the initial counter
   * @param flags {@link #EFD_NONBLOCK}, {@link #EFD_CLOEXEC}
   * @return the descriptor, or -1
   */
  public static native int eventfd(int initval, int flags);

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
   * {@code pthread_t pthread_self(void)}; {@code pthread_t} is an unsigned long on Linux.
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
   * {@code int getrlimit(int resource, struct rlimit *rlim)}. On LP64 Linux {@code struct rlimit}
   * is {@code {rlim_t rlim_cur; rlim_t rlim_max;}}, two unsigned 64-bit words: a {@code long[2]}.
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
