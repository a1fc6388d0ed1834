package dev.poll4j.iocp.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.platform.win32.NTStatus;
import com.sun.jna.platform.win32.NtDll;
import com.sun.jna.platform.win32.WinNT;

/**
 * ntdll.dll as the IOCP backend needs it, beyond what jna-platform's {@code NtDll} binds: {@code
 * NtCreateFile} (to open an AFD helper handle), {@code NtDeviceIoControlFile} (to submit {@code
 * IOCTL_AFD_POLL}) and {@code NtCancelIoFileEx}; the layouts of {@code IO_STATUS_BLOCK}, {@code
 * UNICODE_STRING} and {@code OBJECT_ATTRIBUTES}; the {@code STATUS_*} values jna-platform lacks
 * (abi.md A.1, A.2, A.7). Status mapping ({@code RtlNtStatusToDosError}) is jna-platform's.
 *
 * <pre>
 * typedef struct _IO_STATUS_BLOCK {   // 16 bytes
 *   union { NTSTATUS Status; PVOID Pointer; };  // offset 0; read Status as 32 bits
 *   ULONG_PTR Information;            // offset 8
 * } IO_STATUS_BLOCK;
 * typedef struct _UNICODE_STRING {    // 16 bytes
 *   USHORT Length;                    // offset 0, in bytes, without a NUL
 *   USHORT MaximumLength;             // offset 2
 *   PWSTR  Buffer;                    // offset 8
 * } UNICODE_STRING;
 * typedef struct _OBJECT_ATTRIBUTES { // 48 bytes
 *   ULONG Length;                     // offset 0, = 48
 *   HANDLE RootDirectory;             // offset 8
 *   PUNICODE_STRING ObjectName;       // offset 16
 *   ULONG Attributes;                 // offset 24
 *   PVOID SecurityDescriptor;         // offset 32
 *   PVOID SecurityQualityOfService;   // offset 40
 * } OBJECT_ATTRIBUTES;
 * </pre>
 *
 * <p>JNA direct mapping, primitive and address arguments only; the functions return the
 * NTSTATUS, so no last-error is involved. Only the compile-time constants of this class may be
 * read on an OS other than 64-bit Windows: the class initialiser binds the native methods and
 * refuses other systems.
 */
public final class Ntdll {
  // -- NTSTATUS values --

  /** {@code STATUS_SUCCESS}. */
  public static final int STATUS_SUCCESS = NTStatus.STATUS_SUCCESS;
  /** {@code STATUS_PENDING}: the operation completes later, through the port. */
  public static final int STATUS_PENDING = WinNT.STATUS_PENDING;
  /** {@code STATUS_CANCELLED}: the status of a cancelled poll's packet. */
  public static final int STATUS_CANCELLED = 0xC0000120;
  /** {@code STATUS_NOT_FOUND}: nothing to cancel (the poll had completed). */
  public static final int STATUS_NOT_FOUND = 0xC0000225;
  /** {@code STATUS_INVALID_HANDLE}: the socket was closed. */
  public static final int STATUS_INVALID_HANDLE = 0xC0000008;

  // -- NtCreateFile arguments --

  /** {@code SYNCHRONIZE}: the only access an AFD helper handle asks for. */
  public static final int SYNCHRONIZE = WinNT.SYNCHRONIZE;
  /** {@code FILE_SHARE_READ}. */
  public static final int FILE_SHARE_READ = WinNT.FILE_SHARE_READ;
  /** {@code FILE_SHARE_WRITE}. */
  public static final int FILE_SHARE_WRITE = WinNT.FILE_SHARE_WRITE;
  /** {@code FILE_OPEN}: the create disposition that opens an existing object. */
  public static final int FILE_OPEN = 1;

  // -- IO_STATUS_BLOCK (x64) --

  /** {@code sizeof(IO_STATUS_BLOCK)}. */
  public static final int SIZEOF_IO_STATUS_BLOCK = 16;
  /** Offset of {@code IO_STATUS_BLOCK.Status} (32 bits). */
  public static final int OFFSET_IOSB_STATUS = 0;
  /** Offset of {@code IO_STATUS_BLOCK.Information}. */
  public static final int OFFSET_IOSB_INFORMATION = 8;

  // -- UNICODE_STRING (x64) --

  /** {@code sizeof(UNICODE_STRING)}. */
  public static final int SIZEOF_UNICODE_STRING = 16;
  /** Offset of {@code UNICODE_STRING.Length}. */
  public static final int OFFSET_US_LENGTH = 0;
  /** Offset of {@code UNICODE_STRING.MaximumLength}. */
  public static final int OFFSET_US_MAXIMUM_LENGTH = 2;
  /** Offset of {@code UNICODE_STRING.Buffer}. */
  public static final int OFFSET_US_BUFFER = 8;

  // -- OBJECT_ATTRIBUTES (x64) --

  /** {@code sizeof(OBJECT_ATTRIBUTES)}, also the value of its {@code Length}. */
  public static final int SIZEOF_OBJECT_ATTRIBUTES = 48;
  /** Offset of {@code OBJECT_ATTRIBUTES.Length}. */
  public static final int OFFSET_OA_LENGTH = 0;
  /** Offset of {@code OBJECT_ATTRIBUTES.RootDirectory}. */
  public static final int OFFSET_OA_ROOT_DIRECTORY = 8;
  /** Offset of {@code OBJECT_ATTRIBUTES.ObjectName}. */
  public static final int OFFSET_OA_OBJECT_NAME = 16;
  /** Offset of {@code OBJECT_ATTRIBUTES.Attributes}. */
  public static final int OFFSET_OA_ATTRIBUTES = 24;
  /** Offset of {@code OBJECT_ATTRIBUTES.SecurityDescriptor}. */
  public static final int OFFSET_OA_SECURITY_DESCRIPTOR = 32;
  /** Offset of {@code OBJECT_ATTRIBUTES.SecurityQualityOfService}. */
  public static final int OFFSET_OA_SECURITY_QOS = 40;

  static {
    Windows.require();
    Native.register(Ntdll.class, "ntdll");
  }

  private Ntdll() {}

  /**
   * {@code ULONG RtlNtStatusToDosError(NTSTATUS Status)}, jna-platform's binding.
   *
   * @param status an NTSTATUS
   * @return the Win32 error code it corresponds to
   */
  public static int RtlNtStatusToDosError(int status) {
    return NtDll.INSTANCE.RtlNtStatusToDosError(status);
  }

  // -- Native methods --

  /**
   * {@code NTSTATUS NtCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
   * POBJECT_ATTRIBUTES ObjectAttributes, PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER
   * AllocationSize, ULONG FileAttributes, ULONG ShareAccess, ULONG CreateDisposition, ULONG
   * CreateOptions, PVOID EaBuffer, ULONG EaLength)}.
   *
   * @param FileHandle address that receives the handle
   * @param DesiredAccess access mask
   * @param ObjectAttributes address of an {@code OBJECT_ATTRIBUTES}
   * @param IoStatusBlock address of an {@code IO_STATUS_BLOCK}
   * @param AllocationSize address of a {@code LARGE_INTEGER}, or 0
   * @param FileAttributes file attributes
   * @param ShareAccess {@code FILE_SHARE_*} bits
   * @param CreateDisposition e.g. {@link #FILE_OPEN}
   * @param CreateOptions 0 for an asynchronous handle
   * @param EaBuffer address of extended attributes, or 0
   * @param EaLength their length
   * @return the NTSTATUS
   */
  public static native int NtCreateFile(long FileHandle, int DesiredAccess, long ObjectAttributes,
      long IoStatusBlock, long AllocationSize, int FileAttributes, int ShareAccess,
      int CreateDisposition, int CreateOptions, long EaBuffer, int EaLength);

  /**
   * {@code NTSTATUS NtDeviceIoControlFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE
   * ApcRoutine, PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, ULONG IoControlCode, PVOID
   * InputBuffer, ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength)}. On a
   * handle bound to a completion port, {@code ApcContext} comes back as the packet's {@code
   * lpOverlapped}.
   *
   * @param FileHandle the device handle
   * @param Event an event handle, or 0
   * @param ApcRoutine an APC routine, or 0 (must be 0 with a completion port)
   * @param ApcContext the value the completion packet carries
   * @param IoStatusBlock address of the {@code IO_STATUS_BLOCK} the kernel writes on completion
   * @param IoControlCode e.g. {@link Afd#IOCTL_AFD_POLL}
   * @param InputBuffer address of the input
   * @param InputBufferLength its length
   * @param OutputBuffer address of the output
   * @param OutputBufferLength its length
   * @return the NTSTATUS: {@code STATUS_PENDING}, {@code STATUS_SUCCESS} or an error
   */
  public static native int NtDeviceIoControlFile(long FileHandle, long Event, long ApcRoutine,
      long ApcContext, long IoStatusBlock, int IoControlCode, long InputBuffer,
      int InputBufferLength, long OutputBuffer, int OutputBufferLength);

  /**
   * {@code NTSTATUS NtCancelIoFileEx(HANDLE FileHandle, PIO_STATUS_BLOCK IoRequestToCancel,
   * PIO_STATUS_BLOCK IoStatusBlock)}. Asynchronous: the cancelled operation completes later.
   *
   * @param FileHandle the device handle
   * @param IoRequestToCancel address of the operation's {@code IO_STATUS_BLOCK}
   * @param IoStatusBlock address of a scratch {@code IO_STATUS_BLOCK}
   * @return {@code STATUS_SUCCESS}, {@code STATUS_NOT_FOUND} or an error
   */
  public static native int NtCancelIoFileEx(long FileHandle, long IoRequestToCancel,
      long IoStatusBlock);
}
