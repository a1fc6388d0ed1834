package dev.poll4j.iocp;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.poll4j.iocp.sys.Iocp;
import dev.poll4j.iocp.sys.Ntdll;
import dev.poll4j.iocp.sys.Winsock;

/**
 * {@link IocpCalls} through the JNA bindings of {@code dev.poll4j.iocp.sys}. Only constructed on
 * 64-bit Windows (the backend checks first); Winsock is started once per process.
 *
 * <p>The last error of a failure is saved per thread at once, so that nothing in between (JNA's
 * own bookkeeping included) can overwrite it.
 */
final class NativeIocpCalls implements IocpCalls {
  // One int[1] per thread, allocated on the thread's first failure only.
  private static final ThreadLocal<int[]> SAVED_ERROR = ThreadLocal.withInitial(() -> new int[1]);
  // WSAIoctl needs Winsock started; the JVM's own networking may not have done it yet.
  private static final int WSA_STARTUP = startWinsock();

  NativeIocpCalls() throws java.io.IOException {
    if (WSA_STARTUP != 0) {
      throw WinErrors.exception("WSAStartup(2.2)", WSA_STARTUP);
    }
  }

  private static int startWinsock() {
    try (Memory wsaData = new Memory(Winsock.SIZEOF_WSADATA)) {
      return Winsock.WSAStartup(Winsock.WINSOCK_VERSION, Pointer.nativeValue(wsaData));
    }
  }

  private static void saveLastError() {
    SAVED_ERROR.get()[0] = Iocp.GetLastError();
  }

  @Override
  public long createIoCompletionPort(long file, long existingPort, long key) {
    long port = Iocp.CreateIoCompletionPort(file, existingPort, key, 0);
    if (port == 0) {
      saveLastError();
    }
    return port;
  }

  @Override
  public boolean setFileCompletionNotificationModes(long file, int flags) {
    boolean ok = Iocp.SetFileCompletionNotificationModes(file, (byte) flags);
    if (!ok) {
      saveLastError();
    }
    return ok;
  }

  @Override
  public int ntCreateFile(long handleOut, int access, long objectAttributes, long ioStatusBlock,
      int shareAccess, int createDisposition, int createOptions) {
    return Ntdll.NtCreateFile(handleOut, access, objectAttributes, ioStatusBlock, 0, 0,
        shareAccess, createDisposition, createOptions, 0, 0);
  }

  @Override
  public int ntDeviceIoControlFile(long file, long apcContext, long ioStatusBlock, int code,
      long in, int inLength, long out, int outLength) {
    return Ntdll.NtDeviceIoControlFile(file, 0, 0, apcContext, ioStatusBlock, code, in, inLength,
        out, outLength);
  }

  @Override
  public int ntCancelIoFileEx(long file, long ioRequest, long ioStatusBlock) {
    return Ntdll.NtCancelIoFileEx(file, ioRequest, ioStatusBlock);
  }

  @Override
  public boolean getQueuedCompletionStatusEx(long port, long entries, int count, long removed,
      int millis) {
    boolean ok = Iocp.GetQueuedCompletionStatusEx(port, entries, count, removed, millis, false);
    if (!ok) {
      saveLastError();
    }
    return ok;
  }

  @Override
  public boolean postQueuedCompletionStatus(long port, int bytes, long key) {
    boolean ok = Iocp.PostQueuedCompletionStatus(port, bytes, key, 0);
    if (!ok) {
      saveLastError();
    }
    return ok;
  }

  @Override
  public boolean closeHandle(long handle) {
    boolean ok = Iocp.CloseHandle(handle);
    if (!ok) {
      saveLastError();
    }
    return ok;
  }

  @Override
  public int wsaIoctl(long socket, int code, long out, long bytesReturned) {
    int rc = Winsock.WSAIoctl(socket, code, 0, 0, out, 8, bytesReturned, 0, 0);
    if (rc != 0) {
      saveLastError();
    }
    return rc;
  }

  @Override
  public int rtlNtStatusToDosError(int status) {
    return Ntdll.RtlNtStatusToDosError(status);
  }

  @Override
  public long allocate(long size) {
    long address = Native.malloc(size);
    if (address != 0) {
      new Pointer(address).setMemory(0, size, (byte) 0);
    }
    return address;
  }

  @Override
  public void free(long address) {
    Native.free(address);
  }

  @Override
  public int lastError() {
    return SAVED_ERROR.get()[0];
  }
}
