package dev.poll4j.iocp;

import dev.poll4j.NativeIOException;

/**
 * The one translator from Windows error codes (Win32, Winsock, NTSTATUS) to exceptions, with the
 * message shape of the POSIX one: {@code "<call> failed: <NAME> (<message>)"}. Names and texts of
 * the codes the backend meets are built in, so messages need no native call and read the same in
 * tests on any host; other codes are shown by number.
 */
final class WinErrors {
  // {code, name, message}: the Win32 and Winsock errors the IOCP backend can meet.
  private static final Object[][] WIN32 = {
    {6, "ERROR_INVALID_HANDLE", "The handle is invalid"},
    {8, "ERROR_NOT_ENOUGH_MEMORY", "Not enough memory resources are available"},
    {66, "ERROR_BAD_DEV_TYPE", "The network resource type is not correct"},
    {87, "ERROR_INVALID_PARAMETER", "The parameter is incorrect"},
    {258, "WAIT_TIMEOUT", "The wait operation timed out"},
    {735, "ERROR_ABANDONED_WAIT_0", "The completion port was closed during the wait"},
    {995, "ERROR_OPERATION_ABORTED", "The I/O operation has been aborted"},
    {997, "ERROR_IO_PENDING", "Overlapped I/O operation is in progress"},
    {1168, "ERROR_NOT_FOUND", "Element not found"},
    {1225, "ERROR_CONNECTION_REFUSED", "The remote computer refused the network connection"},
    {10014, "WSAEFAULT", "Bad address"},
    {10022, "WSAEINVAL", "Invalid argument"},
    {10038, "WSAENOTSOCK", "An operation was attempted on something that is not a socket"},
    {10045, "WSAEOPNOTSUPP", "Operation not supported"},
    {10093, "WSANOTINITIALISED", "WSAStartup has not been called"},
  };
  // {status, name}: the NTSTATUS values the IOCP backend can meet.
  private static final Object[][] NTSTATUS = {
    {0x00000000, "STATUS_SUCCESS"},
    {0x00000103, "STATUS_PENDING"},
    {0xC0000008, "STATUS_INVALID_HANDLE"},
    {0xC000000D, "STATUS_INVALID_PARAMETER"},
    {0xC0000034, "STATUS_OBJECT_NAME_NOT_FOUND"},
    {0xC00000CB, "STATUS_BAD_DEVICE_TYPE"},
    {0xC0000120, "STATUS_CANCELLED"},
    {0xC0000225, "STATUS_NOT_FOUND"},
    {0xC0000236, "STATUS_CONNECTION_REFUSED"},
  };

  private WinErrors() {}

  /**
   * The exception for a failed Win32 or Winsock call.
   *
   * @param call the call, such as {@code CreateIoCompletionPort}
   * @param error the last error
   * @return the exception to throw
   */
  static NativeIOException exception(String call, int error) {
    return exception(call, error, null);
  }

  /**
   * The exception for a failed Win32 or Winsock call, with what it means here.
   *
   * @param call the call
   * @param error the last error
   * @param detail an explanation, or null
   * @return the exception to throw
   */
  static NativeIOException exception(String call, int error, String detail) {
    return new NativeIOException(call, error, name(error), message(error), detail);
  }

  /**
   * The exception for a failed NT call. Its {@link NativeIOException#errno()} is the Win32 code
   * the status maps to, its name the NTSTATUS name.
   *
   * @param call the call, such as {@code NtDeviceIoControlFile(IOCTL_AFD_POLL)}
   * @param status the NTSTATUS
   * @param win32 what {@code RtlNtStatusToDosError} maps it to
   * @param detail an explanation, or null
   * @return the exception to throw
   */
  static NativeIOException ntException(String call, int status, int win32, String detail) {
    return new NativeIOException(call, win32, ntStatusName(status),
        hex(status) + ", " + name(win32) + ": " + message(win32), detail);
  }

  /**
   * The symbolic name of a Win32 or Winsock error.
   *
   * @param error the code
   * @return e.g. {@code WSAENOTSOCK}, or {@code "error 1234"} for one not in the table
   */
  static String name(int error) {
    for (Object[] e : WIN32) {
      if ((int) e[0] == error) {
        return (String) e[1];
      }
    }
    return "error " + error;
  }

  /**
   * The text of a Win32 or Winsock error.
   *
   * @param error the code
   * @return the message, or a pointer to the Windows documentation for one not in the table
   */
  static String message(int error) {
    for (Object[] e : WIN32) {
      if ((int) e[0] == error) {
        return (String) e[2];
      }
    }
    return "Windows error " + error + ", see the system error codes";
  }

  /**
   * The symbolic name of an NTSTATUS.
   *
   * @param status the status
   * @return e.g. {@code STATUS_CANCELLED}, or {@code NTSTATUS 0x...} for one not in the table
   */
  static String ntStatusName(int status) {
    for (Object[] e : NTSTATUS) {
      if ((int) e[0] == status) {
        return (String) e[1];
      }
    }
    return "NTSTATUS " + hex(status);
  }

  private static String hex(int status) {
    return String.format("0x%08X", status);
  }
}
