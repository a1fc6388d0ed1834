package dev.poll4j.epoll.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * sys/eventfd.h: {@code eventfd}, a kernel counter used as a wake-up handle.
 *
 * <p>Writing an 8-byte value adds it to the counter and makes the descriptor readable; reading 8
 * bytes returns the counter and resets it to 0 (without {@link #EFD_SEMAPHORE}). A write that
 * would overflow the counter fails with {@code EAGAIN} on a non-blocking descriptor, which for a
 * wake-up means one is pending already. Reads and writes use the plain {@code read}/{@code write}
 * bindings of the core module.
 */
public final class Eventfd {
  /** The size of every read and write on an eventfd: one {@code uint64_t}. */
  public static final int VALUE_SIZE = 8;

  /** {@code EFD_SEMAPHORE}: a read decrements the counter by 1 instead of resetting it. */
  public static final int EFD_SEMAPHORE = 1;
  /** {@code EFD_NONBLOCK} (equal to {@code O_NONBLOCK} on x86-64 and aarch64). */
  public static final int EFD_NONBLOCK = 0x800;
  /** {@code EFD_CLOEXEC} (equal to {@code O_CLOEXEC} on x86-64 and aarch64). */
  public static final int EFD_CLOEXEC = 0x80000;

  static {
    if (!Platform.isLinux()) {
      throw new ExceptionInInitializerError(
          "eventfd is Linux-only; this OS is " + System.getProperty("os.name"));
    }
    Native.register(Eventfd.class, Platform.C_LIBRARY_NAME);
  }

  private Eventfd() {}

  // -- Native methods --

  /**
   * {@code int eventfd(unsigned int initval, int flags)}.
   *
   * @param initval the counter's initial value
   * @param flags {@link #EFD_CLOEXEC}, {@link #EFD_NONBLOCK}, {@link #EFD_SEMAPHORE}
   * @return a new descriptor, or -1 on error
   */
  public static native int eventfd(int initval, int flags);
}
