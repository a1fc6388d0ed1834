package dev.poll4j.internal.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import dev.poll4j.internal.posix.IoVector;
import dev.poll4j.internal.windows.sys.Handleapi;
import dev.poll4j.internal.windows.sys.WinError;
import dev.poll4j.internal.windows.sys.Winsock2;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Winsock layouts and control codes, checked on any 64-bit host: the offsets poll4j writes
 * by hand against what JNA's struct layout computes for the same C declarations (64-bit Windows
 * and LP64 align {@code ULONG}, {@code WORD} and pointers alike), and the control codes against
 * the header macros that define them.
 */
class WinsockLayoutTest {
  static {
    // JNA reads the fields of the structures below reflectively; the test runs in dev.poll4j.
    WinsockLayoutTest.class.getModule()
        .addOpens(WinsockLayoutTest.class.getPackageName(), Structure.class.getModule());
  }

  /** {@code typedef struct _WSABUF { ULONG len; CHAR *buf; } WSABUF;} */
  @Structure.FieldOrder({"len", "buf"})
  public static final class Wsabuf extends Structure {
    /** {@code ULONG len}. */
    public int len;
    /** {@code CHAR *buf}. */
    public Pointer buf;

    int offsetOf(String field) {
      return fieldOffset(field);
    }
  }

  /** {@code WSADATA} in its 64-bit field order. */
  @Structure.FieldOrder({
    "wVersion", "wHighVersion", "iMaxSockets", "iMaxUdpDg", "lpVendorInfo", "szDescription",
    "szSystemStatus"
  })
  public static final class WsaData extends Structure {
    /** {@code WORD wVersion}. */
    public short wVersion;
    /** {@code WORD wHighVersion}. */
    public short wHighVersion;
    /** {@code unsigned short iMaxSockets}. */
    public short iMaxSockets;
    /** {@code unsigned short iMaxUdpDg}. */
    public short iMaxUdpDg;
    /** {@code char *lpVendorInfo}. */
    public Pointer lpVendorInfo;
    /** {@code char szDescription[WSADESCRIPTION_LEN + 1]}. */
    public byte[] szDescription = new byte[256 + 1];
    /** {@code char szSystemStatus[WSASYS_STATUS_LEN + 1]}. */
    public byte[] szSystemStatus = new byte[128 + 1];
  }

  /** {@code fd_set} with room for one socket: {@code u_int fd_count; SOCKET fd_array[1];}. */
  @Structure.FieldOrder({"fd_count", "fd_array"})
  public static final class FdSetOfOne extends Structure {
    /** {@code u_int fd_count}. */
    public int fd_count;
    /** {@code SOCKET fd_array[0]}. */
    public long fd_array;

    int offsetOf(String field) {
      return fieldOffset(field);
    }
  }

  @Test
  void wsabufIsALengthThenAPointer() {
    Wsabuf w = new Wsabuf();
    assertEquals(w.size(), Winsock2.SIZEOF_WSABUF);
    assertEquals(w.offsetOf("len"), Winsock2.OFFSET_WSABUF_LEN);
    assertEquals(w.offsetOf("buf"), Winsock2.OFFSET_WSABUF_BUF);
    IoVector v = WinsockCalls.WSABUF;
    assertEquals(16, v.size);
    assertEquals(0, v.lengthOffset, "ULONG len first, unlike iovec");
    assertEquals(4, v.lengthSize, "ULONG is 32 bits on Windows");
    assertEquals(8, v.baseOffset);
  }

  @Test
  void wsadataAndFdSetAndTimeval() {
    assertEquals(new WsaData().size(), Winsock2.SIZEOF_WSADATA);
    assertEquals(408, Winsock2.SIZEOF_WSADATA);
    FdSetOfOne set = new FdSetOfOne();
    assertEquals(set.size(), Winsock2.SIZEOF_FD_SET_OF_ONE);
    assertEquals(set.offsetOf("fd_array"), Winsock2.OFFSET_FD_SET_ARRAY);
    assertEquals(8, Winsock2.SIZEOF_TIMEVAL, "two 32-bit longs");
    assertEquals(0x0202, Winsock2.WINSOCK_VERSION_2_2, "MAKEWORD(2, 2)");
  }

  @Test
  void controlCodesAreTheHeaderMacros() {
    // winsock2.h: #define FIONBIO _IOW('f', 126, u_long); _IOW(x,y,t) =
    // IOC_IN | ((sizeof(t) & IOCPARM_MASK) << 16) | ((x) << 8) | (y)
    assertEquals(0x8004667E, Winsock2.FIONBIO);
    // mswsock.h: #define SIO_UDP_CONNRESET _WSAIOW(IOC_VENDOR, 12); _WSAIOW(x,y) = IOC_IN|x|y
    assertEquals(0x9800000C, Winsock2.SIO_UDP_CONNRESET);
    assertEquals(0x80, Winsock2.WSA_FLAG_NO_HANDLE_INHERIT);
    assertEquals(1, Handleapi.HANDLE_FLAG_INHERIT);
    assertEquals(-1L, Winsock2.INVALID_SOCKET, "(SOCKET) ~0 as a signed 64-bit value");
  }

  @Test
  void connectInProgressIsWouldBlockOnWindows() {
    assertTrue(WinsockCalls.isConnectPending(WinError.WSAEWOULDBLOCK));
    assertTrue(WinsockCalls.isConnectPending(WinError.WSAEALREADY));
    assertTrue(WinsockCalls.isConnectPending(WinError.WSAEINPROGRESS));
    for (int refused : List.of(WinError.WSAECONNREFUSED, WinError.WSAEINVAL, 115, 36)) {
      assertFalse(WinsockCalls.isConnectPending(refused), "code " + refused);
    }
    assertTrue(WinsockCalls.isAcceptAborted(WinError.WSAECONNRESET));
    assertTrue(WinsockCalls.isAcceptAborted(WinError.WSAECONNABORTED));
    assertFalse(WinsockCalls.isAcceptAborted(WinError.WSAEWOULDBLOCK));
  }
}
