package dev.poll4j.iocp.sys;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT.HANDLE;

/**
 * kernel32.dll's I/O completion ports: {@code CreateIoCompletionPort} and {@code CloseHandle}
 * through jna-platform's {@code Kernel32}; {@code GetQueuedCompletionStatusEx} and {@code
 * SetFileCompletionNotificationModes}, which jna-platform lacks, declared here (abi.md A.7), and
 * {@code PostQueuedCompletionStatus}, redeclared with primitive arguments so that a wake-up
 * allocates nothing; the layout of {@code OVERLAPPED_ENTRY} and the constants the backend uses.
 *
 * <pre>
 * typedef struct _OVERLAPPED_ENTRY {   // 32 bytes on x64
 *   ULONG_PTR    lpCompletionKey;      // offset 0
 *   LPOVERLAPPED lpOverlapped;         // offset 8: the ApcContext of an NT call
 *   ULONG_PTR    Internal;             // offset 16
 *   DWORD        dwNumberOfBytesTransferred; // offset 24, then 4 bytes of padding
 * } OVERLAPPED_ENTRY;
 * </pre>
 *
 * <p>{@code GetQueuedCompletionStatusEx} is on the hot path: JNA direct mapping, primitive and
 * address arguments, the error read with {@link #GetLastError()} right after a {@code false}
 * return. Only the compile-time constants of this class may be read on an OS other than 64-bit
 * Windows: the class initialiser binds the native methods and refuses other systems.
 */
public final class Iocp {
  /** {@code INFINITE}: wait without limit. */
  public static final int INFINITE = WinBase.INFINITE;
  /** {@code WAIT_TIMEOUT}: the last error of a wait that timed out. */
  public static final int WAIT_TIMEOUT = WinError.WAIT_TIMEOUT;
  /** {@code ERROR_ABANDONED_WAIT_0}: the port was closed during the wait. */
  public static final int ERROR_ABANDONED_WAIT_0 = WinError.ERROR_ABANDONED_WAIT_0;
  /** {@code ERROR_INVALID_HANDLE}. */
  public static final int ERROR_INVALID_HANDLE = WinError.ERROR_INVALID_HANDLE;
  /** The value of {@code INVALID_HANDLE_VALUE}: {@code (HANDLE) -1}. */
  public static final long INVALID_HANDLE_VALUE = -1L;

  /** {@code FILE_SKIP_COMPLETION_PORT_ON_SUCCESS}: never set by poll4j (see A.3 step 3). */
  public static final int FILE_SKIP_COMPLETION_PORT_ON_SUCCESS = 0x1;
  /** {@code FILE_SKIP_SET_EVENT_ON_HANDLE}: do not signal the handle on completion. */
  public static final int FILE_SKIP_SET_EVENT_ON_HANDLE = 0x2;

  /** {@code sizeof(OVERLAPPED_ENTRY)}. */
  public static final int SIZEOF_OVERLAPPED_ENTRY = 32;
  /** Offset of {@code OVERLAPPED_ENTRY.lpCompletionKey}. */
  public static final int OFFSET_ENTRY_COMPLETION_KEY = 0;
  /** Offset of {@code OVERLAPPED_ENTRY.lpOverlapped}. */
  public static final int OFFSET_ENTRY_OVERLAPPED = 8;
  /** Offset of {@code OVERLAPPED_ENTRY.Internal}. */
  public static final int OFFSET_ENTRY_INTERNAL = 16;
  /** Offset of {@code OVERLAPPED_ENTRY.dwNumberOfBytesTransferred}. */
  public static final int OFFSET_ENTRY_BYTES = 24;

  static {
    Windows.require();
    Native.register(Iocp.class, "kernel32");
  }

  private Iocp() {}

  /**
   * The last Win32 error of this thread, as JNA saved it right after the last native call.
   *
   * @return the error code
   */
  public static int GetLastError() {
    return Native.getLastError();
  }

  /**
   * {@code HANDLE CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
   * ULONG_PTR CompletionKey, DWORD NumberOfConcurrentThreads)}, jna-platform's binding.
   *
   * @param fileHandle a handle to bind, or {@link #INVALID_HANDLE_VALUE} to create a port
   * @param existingPort the port to bind to, or 0 to create one
   * @param completionKey the key of the bound handle's packets
   * @param threads concurrency; 0 for the number of processors
   * @return the port, or 0 on failure (see {@link #GetLastError()})
   */
  public static long CreateIoCompletionPort(
      long fileHandle, long existingPort, long completionKey, int threads) {
    HANDLE h = Kernel32.INSTANCE.CreateIoCompletionPort(
        handle(fileHandle), existingPort == 0 ? null : handle(existingPort),
        new Pointer(completionKey), threads);
    return h == null ? 0 : Pointer.nativeValue(h.getPointer());
  }

  /**
   * {@code BOOL CloseHandle(HANDLE hObject)}, jna-platform's binding.
   *
   * @param handle the handle
   * @return true on success
   */
  public static boolean CloseHandle(long handle) {
    return Kernel32.INSTANCE.CloseHandle(handle(handle));
  }

  private static HANDLE handle(long value) {
    return new HANDLE(new Pointer(value));
  }

  // -- Native methods --

  /**
   * {@code BOOL GetQueuedCompletionStatusEx(HANDLE CompletionPort, LPOVERLAPPED_ENTRY
   * lpCompletionPortEntries, ULONG ulCount, PULONG ulNumEntriesRemoved, DWORD dwMilliseconds,
   * BOOL fAlertable)}.
   *
   * @param CompletionPort the port
   * @param lpCompletionPortEntries address of {@code ulCount} entries
   * @param ulCount room in the entries
   * @param ulNumEntriesRemoved address of a {@code ULONG} that receives the count
   * @param dwMilliseconds the timeout, or {@link #INFINITE}
   * @param fAlertable false: no APCs
   * @return true when entries were removed; false with {@link #WAIT_TIMEOUT} on timeout
   */
  public static native boolean GetQueuedCompletionStatusEx(long CompletionPort,
      long lpCompletionPortEntries, int ulCount, long ulNumEntriesRemoved, int dwMilliseconds,
      boolean fAlertable);

  /**
   * {@code BOOL SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags)}.
   *
   * @param FileHandle the handle
   * @param Flags {@code FILE_SKIP_*} bits
   * @return true on success
   */
  public static native boolean SetFileCompletionNotificationModes(long FileHandle, byte Flags);

  /**
   * {@code BOOL PostQueuedCompletionStatus(HANDLE CompletionPort, DWORD
   * dwNumberOfBytesTransferred, ULONG_PTR dwCompletionKey, LPOVERLAPPED lpOverlapped)}. Declared
   * here although jna-platform has it: its binding takes {@code HANDLE} and {@code Pointer}
   * objects, so every wake-up would allocate; this one takes primitives (direct mapping), as the
   * waker of every other backend does.
   *
   * @param CompletionPort the port
   * @param dwNumberOfBytesTransferred the packet's byte count
   * @param dwCompletionKey the packet's key
   * @param lpOverlapped the packet's overlapped pointer; 0 for a user packet
   * @return true on success
   */
  public static native boolean PostQueuedCompletionStatus(
      long CompletionPort, int dwNumberOfBytesTransferred, long dwCompletionKey, long lpOverlapped);
}
