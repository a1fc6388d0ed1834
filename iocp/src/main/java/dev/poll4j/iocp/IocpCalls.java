package dev.poll4j.iocp;

/**
 * The native calls {@link IocpSelector} makes, behind one narrow interface: the real bindings
 * ({@link NativeIocpCalls}) on Windows, a simulated completion port and AFD driver in the tests
 * that run elsewhere. Arguments are primitives and native addresses; structures use the x64
 * layouts of {@code dev.poll4j.iocp.sys}. Calls that report failure through the thread's last
 * error ({@code FALSE}, {@code NULL} or {@code SOCKET_ERROR} returns) leave it for {@link
 * #lastError()}, to be read before any other call on the same thread; the NT calls return their
 * NTSTATUS.
 *
 * <p>Native memory the kernel writes after a call returns (the {@code IO_STATUS_BLOCK} and {@code
 * AFD_POLL_INFO} of a pending poll) comes from {@link #allocate} and goes back through {@link
 * #free}, so that a test can tell when it is freed while the kernel still owns it.
 */
interface IocpCalls {
  /**
   * {@code CreateIoCompletionPort(file, existingPort, key, 0)}: creates a port ({@code file} =
   * {@code INVALID_HANDLE_VALUE}, {@code existingPort} = 0) or binds a handle to one.
   *
   * @param file the handle to bind, or {@code INVALID_HANDLE_VALUE}
   * @param existingPort the port, or 0
   * @param key the completion key of the bound handle's packets
   * @return the port, or 0 on failure
   */
  long createIoCompletionPort(long file, long existingPort, long key);

  /**
   * {@code SetFileCompletionNotificationModes(file, flags)}.
   *
   * @param file the handle
   * @param flags {@code FILE_SKIP_*} bits
   * @return true on success
   */
  boolean setFileCompletionNotificationModes(long file, int flags);

  /**
   * {@code NtCreateFile(handleOut, access, objectAttributes, ioStatusBlock, NULL, 0,
   * shareAccess, createDisposition, createOptions, NULL, 0)}.
   *
   * @param handleOut address that receives the handle
   * @param access the access mask
   * @param objectAttributes address of an {@code OBJECT_ATTRIBUTES}
   * @param ioStatusBlock address of an {@code IO_STATUS_BLOCK}
   * @param shareAccess {@code FILE_SHARE_*} bits
   * @param createDisposition e.g. {@code FILE_OPEN}
   * @param createOptions 0 for an asynchronous handle
   * @return the NTSTATUS
   */
  int ntCreateFile(long handleOut, int access, long objectAttributes, long ioStatusBlock,
      int shareAccess, int createDisposition, int createOptions);

  /**
   * {@code NtDeviceIoControlFile(file, NULL, NULL, apcContext, ioStatusBlock, code, in, inLength,
   * out, outLength)}.
   *
   * @param file the device handle
   * @param apcContext what the completion packet carries as {@code lpOverlapped}
   * @param ioStatusBlock address of the operation's {@code IO_STATUS_BLOCK}
   * @param code the control code
   * @param in address of the input
   * @param inLength its length
   * @param out address of the output
   * @param outLength its length
   * @return the NTSTATUS
   */
  int ntDeviceIoControlFile(long file, long apcContext, long ioStatusBlock, int code, long in,
      int inLength, long out, int outLength);

  /**
   * {@code NtCancelIoFileEx(file, ioRequest, ioStatusBlock)}.
   *
   * @param file the device handle
   * @param ioRequest address of the {@code IO_STATUS_BLOCK} of the operation to cancel
   * @param ioStatusBlock address of a scratch {@code IO_STATUS_BLOCK}
   * @return the NTSTATUS
   */
  int ntCancelIoFileEx(long file, long ioRequest, long ioStatusBlock);

  /**
   * {@code GetQueuedCompletionStatusEx(port, entries, count, removed, millis, FALSE)}.
   *
   * @param port the port
   * @param entries address of room for {@code count} {@code OVERLAPPED_ENTRY}s
   * @param count the room
   * @param removed address of a {@code ULONG} that receives the number of entries
   * @param millis the timeout, {@code INFINITE} ({@code -1}) for none
   * @return true when entries were removed
   */
  boolean getQueuedCompletionStatusEx(long port, long entries, int count, long removed,
      int millis);

  /**
   * {@code PostQueuedCompletionStatus(port, bytes, key, NULL)}.
   *
   * @param port the port
   * @param bytes the packet's byte count
   * @param key the packet's completion key
   * @return true on success
   */
  boolean postQueuedCompletionStatus(long port, int bytes, long key);

  /**
   * {@code CloseHandle(handle)}.
   *
   * @param handle the handle
   * @return true on success
   */
  boolean closeHandle(long handle);

  /**
   * {@code WSAIoctl(socket, code, NULL, 0, out, 8, bytesReturned, NULL, NULL)}: one of the
   * {@code SIO_*} codes that return a {@code SOCKET}.
   *
   * @param socket the socket
   * @param code e.g. {@code SIO_BASE_HANDLE}
   * @param out address of 8 bytes that receive the socket
   * @param bytesReturned address of a {@code DWORD}
   * @return 0, or {@code SOCKET_ERROR} ({@code -1})
   */
  int wsaIoctl(long socket, int code, long out, long bytesReturned);

  /**
   * {@code RtlNtStatusToDosError(status)}: for messages.
   *
   * @param status an NTSTATUS
   * @return the Win32 error code
   */
  int rtlNtStatusToDosError(int status);

  /**
   * Allocates zeroed native memory that stays at its address until {@link #free}.
   *
   * @param size bytes
   * @return the address, or 0 when out of memory
   */
  long allocate(long size);

  /**
   * Frees what {@link #allocate} returned.
   *
   * @param address the address
   */
  void free(long address);

  /**
   * The last error of the last failed call on this thread.
   *
   * @return the Win32 (or Winsock) error code
   */
  int lastError();
}
