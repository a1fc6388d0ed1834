package dev.poll4j.iocp.sys;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.WinError;

/**
 * ws2_32.dll as the IOCP backend needs it: {@code WSAStartup} and {@code WSAIoctl}, which
 * jna-platform's {@code Winsock2} lacks (abi.md A.7), and the {@code SIO_*} codes that find the
 * base provider socket AFD must be asked about (A.3 step 5). JNA direct mapping; after a {@code
 * SOCKET_ERROR} return, {@link Iocp#GetLastError()} holds the {@code WSAGetLastError()} value.
 * Only the compile-time constants of this class may be read on an OS other than 64-bit Windows.
 */
public final class Winsock {
  /** {@code SIO_BASE_HANDLE}: {@code _WSAIOR(IOC_WS2, 34)}. */
  public static final int SIO_BASE_HANDLE = 0x48000022;
  /** {@code SIO_BSP_HANDLE}. */
  public static final int SIO_BSP_HANDLE = 0x4800001B;
  /** {@code SIO_BSP_HANDLE_SELECT}. */
  public static final int SIO_BSP_HANDLE_SELECT = 0x4800001C;
  /** {@code SIO_BSP_HANDLE_POLL}: works where layered providers break SIO_BASE_HANDLE. */
  public static final int SIO_BSP_HANDLE_POLL = 0x4800001D;
  /** {@code SOCKET_ERROR}: the failure return of Winsock calls. */
  public static final int SOCKET_ERROR = -1;
  /** {@code WSAENOTSOCK}: not a socket; final, no fallback is tried. */
  public static final int WSAENOTSOCK = WinError.WSAENOTSOCK;
  /** {@code WSAEFAULT}: what some layered providers answer to SIO_BASE_HANDLE (mio#1314). */
  public static final int WSAEFAULT = WinError.WSAEFAULT;
  /** {@code WSAEINVAL}. */
  public static final int WSAEINVAL = WinError.WSAEINVAL;
  /** {@code WSAEOPNOTSUPP}: Wine's answer to the SIO_BSP_HANDLE codes. */
  public static final int WSAEOPNOTSUPP = WinError.WSAEOPNOTSUPP;
  /** The Winsock version asked of {@code WSAStartup}: 2.2. */
  public static final short WINSOCK_VERSION = 0x0202;
  /** Room for a {@code WSADATA} on x64 (408 bytes), rounded up. */
  public static final int SIZEOF_WSADATA = 512;

  static {
    Windows.require();
    Native.register(Winsock.class, "ws2_32");
  }

  private Winsock() {}

  // -- Native methods --

  /**
   * {@code int WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData)}.
   *
   * @param wVersionRequested e.g. {@link #WINSOCK_VERSION}
   * @param lpWSAData address of room for a {@code WSADATA}
   * @return 0, or a Winsock error code
   */
  public static native int WSAStartup(short wVersionRequested, long lpWSAData);

  /**
   * {@code int WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
   * LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED
   * lpOverlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)}.
   *
   * @param s the socket
   * @param dwIoControlCode e.g. {@link #SIO_BASE_HANDLE}
   * @param lpvInBuffer address of the input, or 0
   * @param cbInBuffer its length
   * @param lpvOutBuffer address of the output
   * @param cbOutBuffer its length
   * @param lpcbBytesReturned address of a {@code DWORD} that receives the output length
   * @param lpOverlapped 0: synchronous
   * @param lpCompletionRoutine 0
   * @return 0, or {@link #SOCKET_ERROR}
   */
  public static native int WSAIoctl(long s, int dwIoControlCode, long lpvInBuffer,
      int cbInBuffer, long lpvOutBuffer, int cbOutBuffer, long lpcbBytesReturned,
      long lpOverlapped, long lpCompletionRoutine);
}
