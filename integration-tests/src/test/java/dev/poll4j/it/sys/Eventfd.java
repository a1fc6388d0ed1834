package dev.poll4j.it.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.poll4j.internal.posix.sys.Unistd;

/** Linux's {@code eventfd}, bound apart from {@link Libc} because no other system has it. */
public final class Eventfd {
  /** {@code EFD_NONBLOCK}, equal to {@code O_NONBLOCK}. */
  public static final int EFD_NONBLOCK = Unistd.O_NONBLOCK;

  /** {@code EFD_CLOEXEC}, equal to {@code O_CLOEXEC}. */
  public static final int EFD_CLOEXEC = Unistd.O_CLOEXEC;

  static {
    Native.register(Eventfd.class, Platform.C_LIBRARY_NAME);
  }

  private Eventfd() {}

  // -- Native methods --

  /**
   * {@code int eventfd(unsigned int initval, int flags)}.
   *
   * @param initval the initial counter
   * @param flags {@link #EFD_NONBLOCK}, {@link #EFD_CLOEXEC}
   * @return the descriptor, or -1
   */
  public static native int eventfd(int initval, int flags);
}
