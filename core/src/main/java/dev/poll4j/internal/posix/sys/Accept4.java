package dev.poll4j.internal.posix.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * {@code accept4}, bound on its own because macOS lacks it (direct mapping fails to register a
 * class with a missing symbol). Linux, FreeBSD, OpenBSD and NetBSD have it; use it only where
 * {@link Socket#HAS_SOCK_FLAGS} is true, else {@link Socket#accept} plus {@code fcntl}.
 */
public final class Accept4 {
  static {
    if (!Socket.HAS_SOCK_FLAGS) {
      throw new ExceptionInInitializerError(
          "accept4 does not exist on " + Os.current().displayName() + "; use accept and fcntl");
    }
    Native.register(Accept4.class, Platform.C_LIBRARY_NAME);
  }

  private Accept4() {}

  // -- Native methods --

  /**
   * {@code int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)}.
   *
   * @param fd the listening socket
   * @param addr address of a sockaddr buffer, or 0
   * @param len address of its length (in/out), or 0
   * @param flags {@link Socket#SOCK_NONBLOCK} and {@link Socket#SOCK_CLOEXEC}
   * @return the accepted descriptor, or -1 on error
   */
  public static native int accept4(int fd, long addr, long len, int flags);
}
