package dev.poll4j.epoll.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * sys/epoll.h: {@code epoll_pwait2}, the wait with a nanosecond timeout (Linux 5.11, glibc 2.35).
 *
 * <p>Bound in a class of its own: JNA binds all native methods of a class at once, and a C
 * library without the symbol must not take {@link Epoll} down with it. {@link #UNAVAILABILITY}
 * says whether binding worked. Even when it did, the kernel may be older than 5.11 ({@code ENOSYS})
 * or a seccomp profile may refuse the unknown system call ({@code EPERM}); callers then fall back
 * to {@link Epoll#epoll_wait} for good.
 *
 * <pre>
 * struct timespec {          // the kernel's __kernel_timespec on 64-bit Linux
 *     int64_t tv_sec;        // offset 0
 *     int64_t tv_nsec;       // offset 8, 0..999999999
 * };                         // 16 bytes
 * </pre>
 */
public final class EpollPwait2 {
  /** {@code sizeof(struct timespec)}. */
  public static final int SIZEOF_TIMESPEC = 16;
  /** Offset of {@code tv_sec}. */
  public static final int OFFSET_TV_SEC = 0;
  /** Offset of {@code tv_nsec}. */
  public static final int OFFSET_TV_NSEC = 8;

  /** Why {@code epoll_pwait2} could not be bound, or null when it was. */
  public static final Throwable UNAVAILABILITY = bind();

  private EpollPwait2() {}

  private static Throwable bind() {
    try {
      if (!Platform.isLinux()) {
        return new UnsupportedOperationException(
            "epoll_pwait2 is Linux-only; this OS is " + System.getProperty("os.name"));
      }
      Native.register(EpollPwait2.class, Platform.C_LIBRARY_NAME);
      return null;
    } catch (LinkageError e) {
      return e; // UnsatisfiedLinkError: glibc < 2.35, a C library without the symbol
    }
  }

  /**
   * Whether the C library has {@code epoll_pwait2}. The kernel may still refuse it at run time.
   *
   * @return true if {@link #epoll_pwait2} is bound
   */
  public static boolean isBound() {
    return UNAVAILABILITY == null;
  }

  // -- Native methods --

  /**
   * {@code int epoll_pwait2(int epfd, struct epoll_event *events, int maxevents, const struct
   * timespec *timeout, const sigset_t *sigmask)}. The glibc wrapper passes the size of the signal
   * set itself; only call this when {@link #isBound()} is true.
   *
   * @param epfd the epoll descriptor
   * @param events address of an array of {@code maxevents} {@code struct epoll_event}
   * @param maxevents the array's length, {@code > 0}
   * @param timeout address of a {@code struct timespec}, or 0 to wait forever
   * @param sigmask address of a signal mask, or 0 to keep the thread's mask
   * @return the number of events stored, or -1 on error (EINTR, ENOSYS, EPERM included)
   */
  public static native int epoll_pwait2(
      int epfd, long events, int maxevents, long timeout, long sigmask);
}
