package dev.poll4j.internal.posix.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * poll.h: {@code poll(2)} and the {@code struct pollfd} layout.
 *
 * <pre>
 * struct pollfd {
 *     int   fd;         // offset 0
 *     short events;     // offset 4
 *     short revents;    // offset 6
 * };                    // 8 bytes on every platform
 * </pre>
 */
public final class Poll {
  /** The constants of {@code poll.h}: name, Linux, macOS, FreeBSD, OpenBSD, NetBSD;
   * none of them exists on Windows. */
  public static final OsConstants TABLE =
      new OsConstants(
          "poll.h",
          "POLLIN", 1, 1, 1, 1, 1, OsConstants.NONE,
          "POLLPRI", 2, 2, 2, 2, 2, OsConstants.NONE,
          "POLLOUT", 4, 4, 4, 4, 4, OsConstants.NONE,
          "POLLERR", 8, 8, 8, 8, 8, OsConstants.NONE,
          "POLLHUP", 16, 16, 16, 16, 16, OsConstants.NONE,
          "POLLNVAL", 32, 32, 32, 32, 32, OsConstants.NONE,
          "POLLRDHUP", 0x2000, OsConstants.NONE, 0x4000, OsConstants.NONE, OsConstants.NONE,
              OsConstants.NONE);

  /** {@code sizeof(struct pollfd)}. */
  public static final int SIZEOF_POLLFD = 8;
  /** Offset of {@code fd}. */
  public static final int OFFSET_FD = 0;
  /** Offset of {@code events}. */
  public static final int OFFSET_EVENTS = 4;
  /** Offset of {@code revents}. */
  public static final int OFFSET_REVENTS = 6;

  /** {@code POLLIN}. */
  public static final short POLLIN = (short) TABLE.value("POLLIN");
  /** {@code POLLPRI}. */
  public static final short POLLPRI = (short) TABLE.value("POLLPRI");
  /** {@code POLLOUT}. */
  public static final short POLLOUT = (short) TABLE.value("POLLOUT");
  /** {@code POLLERR}. */
  public static final short POLLERR = (short) TABLE.value("POLLERR");
  /** {@code POLLHUP}. */
  public static final short POLLHUP = (short) TABLE.value("POLLHUP");
  /** {@code POLLNVAL}. */
  public static final short POLLNVAL = (short) TABLE.value("POLLNVAL");
  /**
   * {@code POLLRDHUP} (Linux 2.6.17: the peer shut down writing) on Linux, else 0. FreeBSD's
   * (0x4000) is left unused: only recent releases define it.
   */
  public static final short POLLRDHUP =
      Os.current() == Os.LINUX ? (short) TABLE.value("POLLRDHUP") : 0;

  static {
    Native.register(Poll.class, Platform.C_LIBRARY_NAME);
  }

  private Poll() {}

  // -- Native methods --

  /**
   * {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}.
   *
   * @param fds address of the pollfd array
   * @param nfds number of entries
   * @param timeout milliseconds; -1 forever, 0 do not block
   * @return the number of entries with non-zero revents, or -1 on error
   */
  public static native int poll(long fds, long nfds, int timeout);
}
