package dev.poll4j.iocp.sys;

/**
 * The Ancillary Function Driver's poll request, as the IOCP backend sends it through {@link
 * Ntdll#NtDeviceIoControlFile}: the {@code IOCTL_AFD_POLL} control code, the {@code AFD_POLL_*}
 * event bits and the layout of {@code AFD_POLL_INFO} with one handle. No header of the Windows SDK
 * declares these; the values are the ones wepoll ({@code afd.h}), mio ({@code afd.rs}), polling
 * and Wine ({@code include/wine/afd.h}) agree on, checked under Wine (abi.md A.1, A.2).
 *
 * <pre>
 * typedef struct _AFD_POLL_HANDLE_INFO {  // 16 bytes on x64
 *   HANDLE   Handle;                      // offset 0: the base SOCKET
 *   ULONG    Events;                      // offset 8: AFD_POLL_* asked for, then reported
 *   NTSTATUS Status;                      // offset 12: e.g. the connect failure
 * } AFD_POLL_HANDLE_INFO;
 * typedef struct _AFD_POLL_INFO {         // 32 bytes with one handle
 *   LARGE_INTEGER Timeout;                // offset 0
 *   ULONG NumberOfHandles;                // offset 8
 *   ULONG Exclusive;                      // offset 12
 *   AFD_POLL_HANDLE_INFO Handles[1];      // offset 16
 * } AFD_POLL_INFO;
 * </pre>
 *
 * <p>Constants only: this class binds nothing and may be read on any OS.
 */
public final class Afd {
  /** {@code IOCTL_AFD_POLL}: {@code (0x12 << 12) | (9 << 2)}, METHOD_BUFFERED. */
  public static final int IOCTL_AFD_POLL = 0x00012024;

  // -- AFD_POLL_* event bits --

  /** {@code AFD_POLL_RECEIVE}: data to read. */
  public static final int AFD_POLL_RECEIVE = 0x0001;
  /** {@code AFD_POLL_RECEIVE_EXPEDITED}: out-of-band data to read. */
  public static final int AFD_POLL_RECEIVE_EXPEDITED = 0x0002;
  /** {@code AFD_POLL_SEND}: room to send. */
  public static final int AFD_POLL_SEND = 0x0004;
  /** {@code AFD_POLL_DISCONNECT}: the peer shut down its sending side. */
  public static final int AFD_POLL_DISCONNECT = 0x0008;
  /** {@code AFD_POLL_ABORT}: the connection was reset. */
  public static final int AFD_POLL_ABORT = 0x0010;
  /** {@code AFD_POLL_LOCAL_CLOSE}: the socket was closed by this process. */
  public static final int AFD_POLL_LOCAL_CLOSE = 0x0020;
  /**
   * {@code AFD_POLL_CONNECT}: connected. Never asked for: it is reported on every poll once the
   * socket is connected (mio, citing wepoll).
   */
  public static final int AFD_POLL_CONNECT = 0x0040;
  /** {@code AFD_POLL_ACCEPT}: a connection waits to be accepted. */
  public static final int AFD_POLL_ACCEPT = 0x0080;
  /** {@code AFD_POLL_CONNECT_FAIL}: a connect failed; {@code Status} holds the NTSTATUS. */
  public static final int AFD_POLL_CONNECT_FAIL = 0x0100;

  // -- AFD_POLL_INFO with one AFD_POLL_HANDLE_INFO (x64) --

  /** {@code sizeof(AFD_POLL_HANDLE_INFO)}. */
  public static final int SIZEOF_AFD_POLL_HANDLE_INFO = 16;
  /** Offset of {@code AFD_POLL_HANDLE_INFO.Handle}. */
  public static final int OFFSET_HANDLE_INFO_HANDLE = 0;
  /** Offset of {@code AFD_POLL_HANDLE_INFO.Events}. */
  public static final int OFFSET_HANDLE_INFO_EVENTS = 8;
  /** Offset of {@code AFD_POLL_HANDLE_INFO.Status}. */
  public static final int OFFSET_HANDLE_INFO_STATUS = 12;

  /** {@code sizeof(AFD_POLL_INFO)} with one handle: the input and output length of the poll. */
  public static final int SIZEOF_AFD_POLL_INFO = 32;
  /** Offset of {@code AFD_POLL_INFO.Timeout}. */
  public static final int OFFSET_TIMEOUT = 0;
  /** Offset of {@code AFD_POLL_INFO.NumberOfHandles}. */
  public static final int OFFSET_NUMBER_OF_HANDLES = 8;
  /** Offset of {@code AFD_POLL_INFO.Exclusive}. */
  public static final int OFFSET_EXCLUSIVE = 12;
  /** Offset of {@code AFD_POLL_INFO.Handles[0]}. */
  public static final int OFFSET_HANDLES = 16;

  /** The poll's {@code Timeout}: {@code INT64_MAX}, i.e. none (wepoll, mio). */
  public static final long NO_TIMEOUT = Long.MAX_VALUE;

  /**
   * Sockets that share one AFD helper handle at most: wepoll's, mio's and polling's group size.
   * Cancelling one poll costs more the more polls the handle has (trio).
   */
  public static final int MAX_SOCKETS_PER_HANDLE = 32;

  /**
   * The NT path poll4j opens AFD helper handles on. The last component is required but free
   * (wepoll uses {@code Wepoll}, mio {@code Mio}, polling {@code Smol}).
   */
  public static final String DEVICE_NAME = "\\Device\\Afd\\Poll4j";

  private Afd() {}
}
