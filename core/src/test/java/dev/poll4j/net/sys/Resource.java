package dev.poll4j.net.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * sys/resource.h: {@code getrlimit} and {@code setrlimit}, for tests that lower the open-files
 * limit of their own process. JNA direct mapping.
 *
 * <pre>
 * struct rlimit {          // Linux, LP64 (x86-64, aarch64)
 *     rlim_t rlim_cur;     // offset 0, unsigned 64-bit: the soft limit
 *     rlim_t rlim_max;     // offset 8, unsigned 64-bit: the hard limit
 * };                       // 16 bytes: passed here as a long[2]
 * </pre>
 */
public final class Resource {
  /** {@code RLIMIT_NOFILE}: one more than the highest descriptor number that can be opened. */
  public static final int RLIMIT_NOFILE =
      dev.poll4j.internal.posix.sys.Os.current() == dev.poll4j.internal.posix.sys.Os.LINUX ? 7 : 8;

  static {
    Native.register(Resource.class, Platform.C_LIBRARY_NAME);
  }

  private Resource() {}

  /**
   * Whether the layout and constants above are this platform's.
   *
   * @return true on Linux x86-64 and aarch64
   */
  public static boolean isSupported() {
    return Platform.isLinux() && Platform.is64Bit() && (Platform.isIntel() || Platform.isARM());
  }

  // -- Native methods --

  /**
   * {@code int getrlimit(int resource, struct rlimit *rlim)}.
   *
   * @param resource such as {@link #RLIMIT_NOFILE}
   * @param rlim receives {@code {rlim_cur, rlim_max}}
   * @return 0, or -1 on error
   */
  public static native int getrlimit(int resource, long[] rlim);

  /**
   * {@code int setrlimit(int resource, const struct rlimit *rlim)}.
   *
   * @param resource such as {@link #RLIMIT_NOFILE}
   * @param rlim {@code {rlim_cur, rlim_max}}
   * @return 0, or -1 on error
   */
  public static native int setrlimit(int resource, long[] rlim);
}
