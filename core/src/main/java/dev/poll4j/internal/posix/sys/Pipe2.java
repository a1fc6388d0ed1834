package dev.poll4j.internal.posix.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * {@code pipe2}, bound on its own because macOS lacks it. Use it only where {@link
 * Socket#HAS_SOCK_FLAGS} is true (the systems with {@code pipe2} are the ones with {@code
 * SOCK_CLOEXEC}), else {@link Unistd#pipe} plus {@code fcntl}.
 */
public final class Pipe2 {
  static {
    if (!Socket.HAS_SOCK_FLAGS) {
      throw new ExceptionInInitializerError(
          "pipe2 does not exist on " + Os.current().displayName() + "; use pipe and fcntl");
    }
    Native.register(Pipe2.class, Platform.C_LIBRARY_NAME);
  }

  private Pipe2() {}

  // -- Native methods --

  /**
   * {@code int pipe2(int pipefd[2], int flags)}.
   *
   * @param pipefd receives the read end at 0 and the write end at 1
   * @param flags {@link Unistd#O_NONBLOCK}, {@link Unistd#O_CLOEXEC}
   * @return 0, or -1 on error
   */
  public static native int pipe2(int[] pipefd, int flags);
}
