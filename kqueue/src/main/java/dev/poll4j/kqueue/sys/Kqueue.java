package dev.poll4j.kqueue.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * sys/event.h: {@code kqueue}, {@code kevent} and the {@code EV_*} and {@code NOTE_*} values that
 * are the same on macOS, FreeBSD, OpenBSD and NetBSD. What differs per OS (the struct layout,
 * filter numbers, {@code EV_SYSFLAGS}, the {@code kevent} symbol and the width of its counts) is
 * in {@link KeventLayout}. JNA direct mapping with primitive and address arguments only; after a
 * {@code -1} return the caller reads {@link #errno()} before any other native call.
 *
 * <pre>
 * int kqueue(void);
 * int kevent(int kq, const struct kevent *changelist, int nchanges,
 *            struct kevent *eventlist, int nevents, const struct timespec *timeout);
 * struct timespec { time_t tv_sec;  // offset 0, 64-bit on LP64
 *                   long   tv_nsec; // offset 8 }
 * </pre>
 *
 * <p>NetBSD's {@code kevent} takes {@code size_t} counts and is bound as {@link KeventSizeT}.
 * Constant values are from xnu {@code bsd/sys/event.h} and the libc crate (abi.md B.2); only the
 * compile-time constants of this class may be read on an OS without kqueue (they do not run the
 * class initialiser, which binds the native methods and refuses other systems).
 */
public final class Kqueue {
  // -- flags (the same on every kqueue OS) --

  /** {@code EV_ADD}: add the filter, or modify it if present (implies {@code EV_ENABLE}). */
  public static final int EV_ADD = 0x0001;
  /** {@code EV_DELETE}: remove the filter. */
  public static final int EV_DELETE = 0x0002;
  /** {@code EV_ENABLE}: let the filter report events. */
  public static final int EV_ENABLE = 0x0004;
  /** {@code EV_DISABLE}: keep the filter, report nothing. */
  public static final int EV_DISABLE = 0x0008;
  /** {@code EV_ONESHOT}: delete the filter after its first event. */
  public static final int EV_ONESHOT = 0x0010;
  /** {@code EV_CLEAR}: reset the filter's state after it is retrieved (edge-triggered). */
  public static final int EV_CLEAR = 0x0020;
  /** {@code EV_RECEIPT}: return every change as an {@code EV_ERROR} entry, {@code data} = errno or 0. */
  public static final int EV_RECEIPT = 0x0040;
  /** {@code EV_DISPATCH}: disable the filter after its first event. */
  public static final int EV_DISPATCH = 0x0080;
  /** {@code EV_ERROR} (returned): {@code data} holds an errno, or 0 for a successful receipt. */
  public static final int EV_ERROR = 0x4000;
  /** {@code EV_EOF} (returned): end of file; {@code fflags} may carry a socket error. */
  public static final int EV_EOF = 0x8000;

  // -- EVFILT_USER fflags --

  /** {@code NOTE_FFNOP}: leave the user filter's fflags alone. */
  public static final int NOTE_FFNOP = 0;
  /** {@code NOTE_FFAND}: AND the user filter's fflags with the given ones. */
  public static final int NOTE_FFAND = 0x40000000;
  /** {@code NOTE_FFOR}: OR the given fflags into the user filter's. */
  public static final int NOTE_FFOR = 0x80000000;
  /** {@code NOTE_FFCOPY}: replace the user filter's fflags. */
  public static final int NOTE_FFCOPY = 0xC0000000;
  /** {@code NOTE_FFCTRLMASK}: the control bits above. */
  public static final int NOTE_FFCTRLMASK = 0xC0000000;
  /** {@code NOTE_FFLAGSMASK}: the user-defined bits. */
  public static final int NOTE_FFLAGSMASK = 0x00FFFFFF;
  /** {@code NOTE_TRIGGER}: fire the user filter. */
  public static final int NOTE_TRIGGER = 0x01000000;

  // -- struct timespec (LP64) --

  /** {@code sizeof(struct timespec)} on every 64-bit kqueue OS. */
  public static final int SIZEOF_TIMESPEC = 16;
  /** Offset of {@code tv_sec}. */
  public static final int OFFSET_TV_SEC = 0;
  /** Offset of {@code tv_nsec}. */
  public static final int OFFSET_TV_NSEC = 8;

  static {
    if (!(Platform.isMac() || Platform.isFreeBSD() || Platform.isOpenBSD() || Platform.isNetBSD())) {
      throw new ExceptionInInitializerError(
          "kqueue is only available on macOS and the BSDs (this is "
              + System.getProperty("os.name") + ")");
    }
    Native.register(Kqueue.class, Platform.C_LIBRARY_NAME);
  }

  private Kqueue() {}

  /**
   * The errno left by the last native call on this thread; call it right after the failed call.
   *
   * @return the error number
   */
  public static int errno() {
    return Native.getLastError();
  }

  // -- Native methods --

  /**
   * {@code int kqueue(void)}.
   *
   * @return a new kqueue descriptor (not close-on-exec), or -1 on error
   */
  public static native int kqueue();

  /**
   * {@code int kevent(int kq, const struct kevent *changelist, int nchanges, struct kevent
   * *eventlist, int nevents, const struct timespec *timeout)}, with {@code int} counts (every OS
   * but NetBSD; on NetBSD use {@link KeventSizeT}).
   *
   * @param kq the kqueue descriptor
   * @param changelist address of {@code nchanges} entries, or 0
   * @param nchanges the number of changes
   * @param eventlist address of room for {@code nevents} entries, or 0
   * @param nevents the room in {@code eventlist}
   * @param timeout address of a {@code struct timespec}, or 0 to wait without limit
   * @return the number of entries stored in {@code eventlist}, or -1 on error (EINTR included)
   */
  public static native int kevent(
      int kq, long changelist, int nchanges, long eventlist, int nevents, long timeout);
}
