package dev.poll4j.epoll.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * sys/epoll.h: {@code epoll_create1}, {@code epoll_ctl}, {@code epoll_wait} and the layout of
 * {@code struct epoll_event}. JNA direct mapping with primitive and address arguments only; after
 * a {@code -1} return the caller reads {@code Errno.errno()} before any other native call.
 * {@code epoll_pwait2} is bound separately, in {@link EpollPwait2}, because older C libraries lack
 * it.
 *
 * <pre>
 * typedef union epoll_data {
 *     void     *ptr;
 *     int       fd;
 *     uint32_t  u32;
 *     uint64_t  u64;
 * } epoll_data_t;
 *
 * struct epoll_event {
 *     uint32_t     events;   // offset 0
 *     epoll_data_t data;     // offset 4 on x86-64 (the struct is packed there), else 8
 * } __EPOLL_PACKED;          // 12 bytes on x86-64, 16 on aarch64 and every other 64-bit arch
 * </pre>
 *
 * <p>Values are Linux's (uapi {@code linux/eventpoll.h}, glibc {@code sys/epoll.h}); they are the
 * same on x86-64 and aarch64.
 */
public final class Epoll {
  // -- struct epoll_event --

  /** {@code sizeof(struct epoll_event)} on this machine: 12 on x86-64, 16 elsewhere. */
  public static final int SIZEOF_EPOLL_EVENT = sizeofEpollEvent(Platform.ARCH);
  /** Offset of {@code events} (a {@code uint32_t}). */
  public static final int OFFSET_EVENTS = 0;
  /** Offset of {@code data} (the {@code uint64_t} member of the union) on this machine. */
  public static final int OFFSET_DATA = dataOffset(Platform.ARCH);

  // -- epoll_ctl operations --

  /** {@code EPOLL_CTL_ADD}: add a descriptor to the interest list. */
  public static final int EPOLL_CTL_ADD = 1;
  /** {@code EPOLL_CTL_DEL}: remove a descriptor from the interest list. */
  public static final int EPOLL_CTL_DEL = 2;
  /** {@code EPOLL_CTL_MOD}: change the events and data of a registered descriptor. */
  public static final int EPOLL_CTL_MOD = 3;

  // -- epoll_create1 flags --

  /** {@code EPOLL_CLOEXEC} (equal to {@code O_CLOEXEC}). */
  public static final int EPOLL_CLOEXEC = 0x80000;

  // -- event bits --

  /** {@code EPOLLIN}: readable. */
  public static final int EPOLLIN = 0x001;
  /** {@code EPOLLPRI}: priority (out-of-band) data, or an exceptional condition. */
  public static final int EPOLLPRI = 0x002;
  /** {@code EPOLLOUT}: writable. */
  public static final int EPOLLOUT = 0x004;
  /** {@code EPOLLERR}: an error is pending; always reported, whether asked for or not. */
  public static final int EPOLLERR = 0x008;
  /** {@code EPOLLHUP}: hang-up; always reported, whether asked for or not. */
  public static final int EPOLLHUP = 0x010;
  /** {@code EPOLLNVAL}: in the uapi header only; epoll never reports it. */
  public static final int EPOLLNVAL = 0x020;
  /** {@code EPOLLRDNORM}: normal data readable (same as {@code EPOLLIN} for most files). */
  public static final int EPOLLRDNORM = 0x040;
  /** {@code EPOLLRDBAND}: priority band data readable. */
  public static final int EPOLLRDBAND = 0x080;
  /** {@code EPOLLWRNORM}: writable (same as {@code EPOLLOUT} for most files). */
  public static final int EPOLLWRNORM = 0x100;
  /** {@code EPOLLWRBAND}: priority data writable. */
  public static final int EPOLLWRBAND = 0x200;
  /** {@code EPOLLMSG}: unused by Linux. */
  public static final int EPOLLMSG = 0x400;
  /** {@code EPOLLRDHUP} (Linux 2.6.17): the peer shut down writing (stream sockets). */
  public static final int EPOLLRDHUP = 0x2000;
  /** {@code EPOLL_URING_WAKE} (uapi only): set internally for io_uring wake-ups. */
  public static final int EPOLL_URING_WAKE = 1 << 27;
  /** {@code EPOLLEXCLUSIVE} (Linux 4.5): wake one of several epoll instances; ADD only. */
  public static final int EPOLLEXCLUSIVE = 0x10000000;
  /** {@code EPOLLWAKEUP} (Linux 3.5): hold a wakeup source; dropped without CAP_BLOCK_SUSPEND. */
  public static final int EPOLLWAKEUP = 0x20000000;
  /** {@code EPOLLONESHOT}: disable the registration after one event, until EPOLL_CTL_MOD. */
  public static final int EPOLLONESHOT = 0x40000000;
  /** {@code EPOLLET}: edge-triggered. */
  public static final int EPOLLET = 0x80000000;

  static {
    if (!Platform.isLinux()) {
      throw new ExceptionInInitializerError(
          "epoll is Linux-only; this OS is " + System.getProperty("os.name"));
    }
    Native.register(Epoll.class, Platform.C_LIBRARY_NAME);
  }

  private Epoll() {}

  /**
   * {@code sizeof(struct epoll_event)} for an architecture: the struct is packed on x86-64 only
   * ({@code EPOLL_PACKED} in {@code linux/eventpoll.h}).
   *
   * @param arch a JNA architecture name ({@code Platform.ARCH}), such as {@code x86-64} or {@code
   *     aarch64}; {@code amd64} and {@code x86_64} are understood too
   * @return 12 on x86-64, 16 on every other 64-bit architecture
   */
  public static int sizeofEpollEvent(String arch) {
    return isPacked(arch) ? 12 : 16;
  }

  /**
   * The offset of {@code data} in {@code struct epoll_event} for an architecture.
   *
   * @param arch a JNA architecture name, as for {@link #sizeofEpollEvent(String)}
   * @return 4 on x86-64, 8 on every other 64-bit architecture
   */
  public static int dataOffset(String arch) {
    return isPacked(arch) ? 4 : 8;
  }

  private static boolean isPacked(String arch) {
    return arch.equals("x86-64") || arch.equals("amd64") || arch.equals("x86_64");
  }

  // -- Native methods --

  /**
   * {@code int epoll_create1(int flags)}.
   *
   * @param flags 0 or {@link #EPOLL_CLOEXEC}
   * @return a new epoll descriptor, or -1 on error
   */
  public static native int epoll_create1(int flags);

  /**
   * {@code int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)}.
   *
   * @param epfd the epoll descriptor
   * @param op {@link #EPOLL_CTL_ADD}, {@link #EPOLL_CTL_MOD} or {@link #EPOLL_CTL_DEL}
   * @param fd the target descriptor
   * @param event address of one {@code struct epoll_event}; ignored (may be 0) for DEL
   * @return 0, or -1 on error
   */
  public static native int epoll_ctl(int epfd, int op, int fd, long event);

  /**
   * {@code int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)}.
   *
   * @param epfd the epoll descriptor
   * @param events address of an array of {@code maxevents} {@code struct epoll_event}
   * @param maxevents the array's length, {@code > 0}
   * @param timeout milliseconds; -1 waits forever, 0 does not block
   * @return the number of events stored, or -1 on error (EINTR included)
   */
  public static native int epoll_wait(int epfd, long events, int maxevents, int timeout);
}
