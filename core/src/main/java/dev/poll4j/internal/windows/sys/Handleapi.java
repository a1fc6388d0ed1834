package dev.poll4j.internal.windows.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * handleapi.h (kernel32.dll): {@code SetHandleInformation}, which poll4j uses to keep socket
 * handles from being inherited by child processes (the JDK's {@code ProcessBuilder} creates
 * children with handle inheritance on). Registered on Windows only.
 */
public final class Handleapi {
  /** {@code HANDLE_FLAG_INHERIT} ({@code winbase.h}). */
  public static final int HANDLE_FLAG_INHERIT = 0x00000001;

  static {
    if (Platform.isWindows()) {
      Native.register(Handleapi.class, "kernel32");
    }
  }

  private Handleapi() {}

  // -- Native methods --

  /**
   * {@code BOOL SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags)}.
   *
   * @param hObject the handle (a {@code SOCKET} is one)
   * @param dwMask the flags to change, such as {@link #HANDLE_FLAG_INHERIT}
   * @param dwFlags their new values
   * @return non-zero on success, 0 on failure ({@code GetLastError})
   */
  public static native int SetHandleInformation(long hObject, int dwMask, int dwFlags);
}
