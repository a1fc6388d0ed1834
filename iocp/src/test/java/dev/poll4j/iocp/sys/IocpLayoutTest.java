package dev.poll4j.iocp.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The layouts and constants of {@code dev.poll4j.iocp.sys} against abi.md A.1 and A.2 (the
 * values there were checked with mingw-w64 and Wine), and the layouts once more computed from the
 * C field types with x64 natural alignment. Reads only compile-time constants, so it runs on any
 * host.
 */
class IocpLayoutTest {
  // -- A.1 layouts, the numbers from the table --

  @Test
  void afdPollHandleInfoIs16BytesHandleEventsStatus() {
    assertEquals(16, Afd.SIZEOF_AFD_POLL_HANDLE_INFO);
    assertEquals(0, Afd.OFFSET_HANDLE_INFO_HANDLE);
    assertEquals(8, Afd.OFFSET_HANDLE_INFO_EVENTS);
    assertEquals(12, Afd.OFFSET_HANDLE_INFO_STATUS);
  }

  @Test
  void afdPollInfoWithOneHandleIs32Bytes() {
    assertEquals(32, Afd.SIZEOF_AFD_POLL_INFO);
    assertEquals(0, Afd.OFFSET_TIMEOUT);
    assertEquals(8, Afd.OFFSET_NUMBER_OF_HANDLES);
    assertEquals(12, Afd.OFFSET_EXCLUSIVE);
    assertEquals(16, Afd.OFFSET_HANDLES);
    assertEquals(Afd.SIZEOF_AFD_POLL_INFO, Afd.OFFSET_HANDLES + Afd.SIZEOF_AFD_POLL_HANDLE_INFO);
    assertEquals(Long.MAX_VALUE, Afd.NO_TIMEOUT, "INT64_MAX: no timeout (wepoll, mio)");
  }

  @Test
  void ioStatusBlockIs16BytesStatusThenInformation() {
    assertEquals(16, Ntdll.SIZEOF_IO_STATUS_BLOCK);
    assertEquals(0, Ntdll.OFFSET_IOSB_STATUS);
    assertEquals(8, Ntdll.OFFSET_IOSB_INFORMATION);
  }

  @Test
  void overlappedEntryIs32Bytes() {
    assertEquals(32, Iocp.SIZEOF_OVERLAPPED_ENTRY);
    assertEquals(0, Iocp.OFFSET_ENTRY_COMPLETION_KEY);
    assertEquals(8, Iocp.OFFSET_ENTRY_OVERLAPPED);
    assertEquals(16, Iocp.OFFSET_ENTRY_INTERNAL);
    assertEquals(24, Iocp.OFFSET_ENTRY_BYTES);
  }

  @Test
  void unicodeStringIs16Bytes() {
    assertEquals(16, Ntdll.SIZEOF_UNICODE_STRING);
    assertEquals(0, Ntdll.OFFSET_US_LENGTH);
    assertEquals(2, Ntdll.OFFSET_US_MAXIMUM_LENGTH);
    assertEquals(8, Ntdll.OFFSET_US_BUFFER);
  }

  @Test
  void objectAttributesIs48Bytes() {
    assertEquals(48, Ntdll.SIZEOF_OBJECT_ATTRIBUTES);
    assertEquals(0, Ntdll.OFFSET_OA_LENGTH);
    assertEquals(8, Ntdll.OFFSET_OA_ROOT_DIRECTORY);
    assertEquals(16, Ntdll.OFFSET_OA_OBJECT_NAME);
    assertEquals(24, Ntdll.OFFSET_OA_ATTRIBUTES);
    assertEquals(32, Ntdll.OFFSET_OA_SECURITY_DESCRIPTOR);
    assertEquals(40, Ntdll.OFFSET_OA_SECURITY_QOS);
  }

  // -- A.1 layouts, once more from the C field types laid out with x64 natural alignment --

  /**
   * Lays out a C struct as MSVC does on x64 (each field at a multiple of its size, the struct
   * padded to its largest field): the offsets of the fields, then the size.
   */
  private static int[] layout(int... fieldSizes) {
    int[] out = new int[fieldSizes.length + 1];
    int offset = 0;
    int align = 1;
    for (int i = 0; i < fieldSizes.length; i++) {
      int size = fieldSizes[i];
      offset = (offset + size - 1) / size * size;
      out[i] = offset;
      offset += size;
      align = Math.max(align, size);
    }
    out[fieldSizes.length] = (offset + align - 1) / align * align;
    return out;
  }

  @Test
  void constantsMatchTheCDeclarationsLaidOut() {
    // AFD_POLL_INFO: LARGE_INTEGER, ULONG, ULONG, then HANDLE, ULONG, NTSTATUS.
    int[] info = layout(8, 4, 4, 8, 4, 4);
    assertEquals(Afd.OFFSET_TIMEOUT, info[0]);
    assertEquals(Afd.OFFSET_NUMBER_OF_HANDLES, info[1]);
    assertEquals(Afd.OFFSET_EXCLUSIVE, info[2]);
    assertEquals(Afd.OFFSET_HANDLES + Afd.OFFSET_HANDLE_INFO_HANDLE, info[3]);
    assertEquals(Afd.OFFSET_HANDLES + Afd.OFFSET_HANDLE_INFO_EVENTS, info[4]);
    assertEquals(Afd.OFFSET_HANDLES + Afd.OFFSET_HANDLE_INFO_STATUS, info[5]);
    assertEquals(Afd.SIZEOF_AFD_POLL_INFO, info[6]);
    // IO_STATUS_BLOCK: union {NTSTATUS; PVOID}, ULONG_PTR.
    int[] iosb = layout(8, 8);
    assertEquals(Ntdll.OFFSET_IOSB_INFORMATION, iosb[1]);
    assertEquals(Ntdll.SIZEOF_IO_STATUS_BLOCK, iosb[2]);
    // OVERLAPPED_ENTRY: ULONG_PTR, LPOVERLAPPED, ULONG_PTR, DWORD.
    int[] entry = layout(8, 8, 8, 4);
    assertEquals(Iocp.OFFSET_ENTRY_OVERLAPPED, entry[1]);
    assertEquals(Iocp.OFFSET_ENTRY_INTERNAL, entry[2]);
    assertEquals(Iocp.OFFSET_ENTRY_BYTES, entry[3]);
    assertEquals(Iocp.SIZEOF_OVERLAPPED_ENTRY, entry[4], "4 bytes of tail padding");
    // UNICODE_STRING: USHORT, USHORT, PWSTR.
    int[] us = layout(2, 2, 8);
    assertEquals(Ntdll.OFFSET_US_MAXIMUM_LENGTH, us[1]);
    assertEquals(Ntdll.OFFSET_US_BUFFER, us[2]);
    assertEquals(Ntdll.SIZEOF_UNICODE_STRING, us[3]);
    // OBJECT_ATTRIBUTES: ULONG, HANDLE, PUNICODE_STRING, ULONG, PVOID, PVOID.
    int[] oa = layout(4, 8, 8, 4, 8, 8);
    assertEquals(Ntdll.OFFSET_OA_ROOT_DIRECTORY, oa[1]);
    assertEquals(Ntdll.OFFSET_OA_OBJECT_NAME, oa[2]);
    assertEquals(Ntdll.OFFSET_OA_ATTRIBUTES, oa[3]);
    assertEquals(Ntdll.OFFSET_OA_SECURITY_DESCRIPTOR, oa[4]);
    assertEquals(Ntdll.OFFSET_OA_SECURITY_QOS, oa[5]);
    assertEquals(Ntdll.SIZEOF_OBJECT_ATTRIBUTES, oa[6]);
  }

  // -- A.2 constants --

  @Test
  void ioctlAfdPollIsCtlCodeOfFunction9Buffered() {
    assertEquals(0x00012024, Afd.IOCTL_AFD_POLL);
    assertEquals((0x12 << 12) | (9 << 2), Afd.IOCTL_AFD_POLL);
  }

  @Test
  void afdPollEventBits() {
    assertEquals(0x001, Afd.AFD_POLL_RECEIVE);
    assertEquals(0x002, Afd.AFD_POLL_RECEIVE_EXPEDITED);
    assertEquals(0x004, Afd.AFD_POLL_SEND);
    assertEquals(0x008, Afd.AFD_POLL_DISCONNECT);
    assertEquals(0x010, Afd.AFD_POLL_ABORT);
    assertEquals(0x020, Afd.AFD_POLL_LOCAL_CLOSE);
    assertEquals(0x040, Afd.AFD_POLL_CONNECT);
    assertEquals(0x080, Afd.AFD_POLL_ACCEPT);
    assertEquals(0x100, Afd.AFD_POLL_CONNECT_FAIL);
  }

  @Test
  void sioCodes() {
    assertEquals(0x48000022, Winsock.SIO_BASE_HANDLE);
    assertEquals(0x4800001B, Winsock.SIO_BSP_HANDLE);
    assertEquals(0x4800001C, Winsock.SIO_BSP_HANDLE_SELECT);
    assertEquals(0x4800001D, Winsock.SIO_BSP_HANDLE_POLL);
    assertEquals(-1, Winsock.SOCKET_ERROR);
  }

  @Test
  void ntStatusValues() {
    assertEquals(0, Ntdll.STATUS_SUCCESS);
    assertEquals(0x103, Ntdll.STATUS_PENDING);
    assertEquals(0xC0000120, Ntdll.STATUS_CANCELLED);
    assertEquals(0xC0000225, Ntdll.STATUS_NOT_FOUND);
    assertEquals(0xC0000008, Ntdll.STATUS_INVALID_HANDLE);
  }

  @Test
  void ntCreateFileArguments() {
    assertEquals(0x00100000, Ntdll.SYNCHRONIZE);
    assertEquals(1, Ntdll.FILE_SHARE_READ);
    assertEquals(2, Ntdll.FILE_SHARE_WRITE);
    assertEquals(1, Ntdll.FILE_OPEN);
    String name = Afd.DEVICE_NAME;
    assertEquals("\\Device\\Afd\\", name.substring(0, 12), "the AFD device path");
    assertEquals(2 * name.length(), name.getBytes(StandardCharsets.UTF_16LE).length);
  }

  @Test
  void completionPortValues() {
    assertEquals(1, Iocp.FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
    assertEquals(2, Iocp.FILE_SKIP_SET_EVENT_ON_HANDLE);
    assertEquals(258, Iocp.WAIT_TIMEOUT);
    assertEquals(735, Iocp.ERROR_ABANDONED_WAIT_0);
    assertEquals(6, Iocp.ERROR_INVALID_HANDLE);
    assertEquals(0xFFFFFFFF, Iocp.INFINITE);
    assertEquals(-1L, Iocp.INVALID_HANDLE_VALUE);
  }

  @Test
  void winsockErrors() {
    assertEquals(10038, Winsock.WSAENOTSOCK);
    assertEquals(10014, Winsock.WSAEFAULT);
    assertEquals(10045, Winsock.WSAEOPNOTSUPP);
    assertEquals(0x0202, Winsock.WINSOCK_VERSION);
  }

  @Test
  void groupSizeIsWepollsAndMios() {
    assertEquals(32, Afd.MAX_SOCKETS_PER_HANDLE);
  }

  @Test
  void platformCheckNamesTheOs() {
    assertEquals("IOCP needs Windows; os.name is Linux", Windows.platformProblem("Linux", "64"));
    assertEquals(null, Windows.platformProblem("Windows 10", "64"));
  }
}
