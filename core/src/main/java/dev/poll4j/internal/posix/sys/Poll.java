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
  /** {@code sizeof(struct pollfd)}. */
  public static final int SIZEOF_POLLFD = 8;
  /** Offset of {@code fd}. */
  public static final int OFFSET_FD = 0;
  /** Offset of {@code events}. */
  public static final int OFFSET_EVENTS = 4;
  /** Offset of {@code revents}. */
  public static final int OFFSET_REVENTS = 6;

  /** {@code POLLIN}. */
  public static final short POLLIN = 0x001;
  /** {@code POLLPRI}. */
  public static final short POLLPRI = 0x002;
  /** {@code POLLOUT}. */
  public static final short POLLOUT = 0x004;
  /** {@code POLLERR}. */
  public static final short POLLERR = 0x008;
  /** {@code POLLHUP}. */
  public static final short POLLHUP = 0x010;
  /** {@code POLLNVAL}. */
  public static final short POLLNVAL = 0x020;
  /** Linux only (2.6.17): the peer shut down writing. */
  public static final short POLLRDHUP = 0x2000;

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
