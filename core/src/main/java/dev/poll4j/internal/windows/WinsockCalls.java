package dev.poll4j.internal.windows;

import com.sun.jna.Native;
import dev.poll4j.internal.posix.Errors;
import dev.poll4j.internal.posix.IoVector;
import dev.poll4j.internal.posix.SocketCalls;
import dev.poll4j.internal.posix.SocketScratch;
import dev.poll4j.internal.windows.sys.Handleapi;
import dev.poll4j.internal.windows.sys.WinError;
import dev.poll4j.internal.windows.sys.Winsock2;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@link SocketCalls} on Windows: Winsock 2 ({@code ws2_32.dll}), 64-bit.
 *
 * <p>What differs from POSIX, and how it is handled here (facts from the Winsock documentation,
 * and from how the JDK's Windows NIO, mio and libuv use it):
 *
 * <ul>
 *   <li>{@code WSAStartup(2.2)} once, when this class is made ({@link #create()}).
 *   <li>Sockets are made with {@code WSASocketW(.., WSA_FLAG_OVERLAPPED |
 *       WSA_FLAG_NO_HANDLE_INHERIT)} (Windows 7 SP1 and later; without the second flag where the
 *       system refuses it with {@code WSAEINVAL}), then {@link #adopt} sets non-blocking mode with
 *       {@code ioctlsocket(FIONBIO)} and clears {@code HANDLE_FLAG_INHERIT} with {@code
 *       SetHandleInformation} (accepted sockets too: there is no {@code accept4}). UDP sockets get
 *       {@code SIO_UDP_CONNRESET} off, so that an ICMP port unreachable for one peer does not fail
 *       the next receive with {@code WSAECONNRESET}, as the JDK does.
 *   <li>A non-blocking {@code connect} fails with {@code WSAEWOULDBLOCK}, not {@code
 *       EINPROGRESS} ({@link #connectPending}); completion is polled with {@code select} on the
 *       write and except sets, where a failed connect shows ({@link #pollConnect}), and its
 *       error is then read from {@code SO_ERROR}.
 *   <li>A datagram larger than the buffer fails {@code recv}/{@code recvfrom} with {@code
 *       WSAEMSGSIZE} after filling the buffer; that is turned into the count of a truncated
 *       datagram, as on POSIX.
 *   <li>Scatter/gather goes through {@code WSARecv}/{@code WSASend} with a {@code WSABUF} array;
 *       no {@code SIGPIPE} exists, so no flag is needed for sends.
 *   <li>No {@code socketpair}, and {@code AF_UNIX} (Windows 10 1803 and later) is {@code
 *       SOCK_STREAM} only.
 * </ul>
 *
 * <p>Errors are read with {@code Native.getLastError()}, which JNA captures right after each
 * call; Winsock keeps its error in the thread's last-error slot, which is what {@code
 * WSAGetLastError()} returns.
 */
public final class WinsockCalls implements SocketCalls {
  /** {@code WSABUF}: {@code ULONG len} at 0, {@code CHAR *buf} at 8. */
  static final IoVector WSABUF =
      new IoVector(
          Winsock2.SIZEOF_WSABUF, Winsock2.OFFSET_WSABUF_BUF, Winsock2.OFFSET_WSABUF_LEN, 4);

  /** Offsets in {@link SocketScratch#MSG} of the two {@code fd_set}s and the {@code timeval}. */
  private static final int WRITE_SET = SocketScratch.MSG;

  private static final int EXCEPT_SET = WRITE_SET + Winsock2.SIZEOF_FD_SET_OF_ONE;
  private static final int TIMEVAL = EXCEPT_SET + Winsock2.SIZEOF_FD_SET_OF_ONE;

  /** Whether {@code WSA_FLAG_NO_HANDLE_INHERIT} was refused once: then it is not tried again. */
  private volatile boolean noInheritFlagRefused;

  private WinsockCalls() {}

  /**
   * Starts Winsock 2.2 for this process and returns the implementation.
   *
   * @return the Winsock calls
   * @throws UnsupportedOperationException if Winsock 2.2 cannot be started (the message names the
   *     error), or the JVM is not 64-bit
   */
  public static WinsockCalls create() {
    Winsock2.requireWin64();
    ByteBuffer data = ByteBuffer.allocateDirect(Winsock2.SIZEOF_WSADATA);
    SocketScratch x = SocketScratch.get();
    long address = x.directAddress(data);
    int rc = Winsock2.WSAStartup(Winsock2.WINSOCK_VERSION_2_2, address);
    if (rc != 0) {
      throw new UnsupportedOperationException(
          "WSAStartup(2.2) failed: " + WinError.name(rc) + " (" + WinError.message(rc) + ")");
    }
    short version = data.order(ByteOrder.nativeOrder()).getShort(Winsock2.OFFSET_WSADATA_VERSION);
    if (version != Winsock2.WINSOCK_VERSION_2_2) {
      throw new UnsupportedOperationException(
          "WSAStartup(2.2) gave Winsock version " + (version & 0xff) + "." + (version >> 8 & 0xff));
    }
    // WSAStartup counts references; poll4j never calls WSACleanup, as the JDK's net library.
    return new WinsockCalls();
  }

  @Override
  public int lastError() {
    return Native.getLastError();
  }

  @Override
  public long socket(int family, int type) {
    int flags = Winsock2.WSA_FLAG_OVERLAPPED;
    if (!noInheritFlagRefused) {
      long s = Winsock2.WSASocketW(
          family, type, 0, 0, 0, flags | Winsock2.WSA_FLAG_NO_HANDLE_INHERIT);
      if (s != Winsock2.INVALID_SOCKET || Native.getLastError() != WinError.WSAEINVAL) {
        return s;
      }
      noInheritFlagRefused = true; // before Windows 7 SP1: adopt clears the flag instead
    }
    return Winsock2.WSASocketW(family, type, 0, 0, 0, flags);
  }

  @Override
  public void adopt(long s, boolean datagram, String call) throws IOException {
    try {
      SocketScratch x = SocketScratch.get();
      x.mem.putInt(SocketScratch.VALUE, 1);
      if (Winsock2.ioctlsocket(s, Winsock2.FIONBIO, x.at(SocketScratch.VALUE)) != 0) {
        throw Errors.exception(call + ": ioctlsocket(" + s + ", FIONBIO)", lastError());
      }
      if (Handleapi.SetHandleInformation(s, Handleapi.HANDLE_FLAG_INHERIT, 0) == 0) {
        throw Errors.exception(
            call + ": SetHandleInformation(" + s + ", HANDLE_FLAG_INHERIT, 0)", lastError());
      }
      if (datagram) {
        x.mem.putInt(SocketScratch.VALUE, 0); // FALSE: no WSAECONNRESET from ICMP
        if (Winsock2.WSAIoctl(
                s,
                Winsock2.SIO_UDP_CONNRESET,
                x.at(SocketScratch.VALUE),
                4,
                0,
                0,
                x.at(SocketScratch.LEN),
                0,
                0)
            != 0
            && lastError() != WinError.WSAEINVAL) { // AF_UNIX and others do not know it
          throw Errors.exception(call + ": WSAIoctl(" + s + ", SIO_UDP_CONNRESET)", lastError());
        }
      }
    } catch (IOException e) {
      if (Winsock2.closesocket(s) != 0) {
        e.addSuppressed(Errors.exception("closesocket(" + s + ")", lastError()));
      }
      throw e;
    }
  }

  @Override
  public long reserveSocket() {
    return -1; // AcceptReserve.SUPPORTED is false here: no AF_UNIX datagram socket to hold
  }

  @Override
  public int socketpair(int type, long[] pair) {
    throw new UnsupportedOperationException(
        "socketpair does not exist on Windows: connect a stream to a UnixListener instead");
  }

  @Override
  public boolean hasUnixDatagrams() {
    return false;
  }

  @Override
  public boolean listenersReuseAddress() {
    return false;
  }

  @Override
  public int bind(long s, long addr, int len) {
    return Winsock2.bind(s, addr, len);
  }

  @Override
  public int listen(long s, int backlog) {
    return Winsock2.listen(s, backlog);
  }

  @Override
  public long accept(long s) {
    return Winsock2.accept(s, 0, 0);
  }

  @Override
  public boolean acceptAborted(int error) {
    return isAcceptAborted(error);
  }

  /**
   * Whether a failed {@code accept} lost only one queued connection: {@code WSAECONNABORTED}, or
   * {@code WSAECONNRESET}, which is how Winsock reports a connection reset while queued.
   *
   * @param wsaError a {@code WSAGetLastError} value
   * @return true for those two
   */
  public static boolean isAcceptAborted(int wsaError) {
    return wsaError == WinError.WSAECONNABORTED || wsaError == WinError.WSAECONNRESET;
  }

  @Override
  public int connect(long s, long addr, int len) {
    return Winsock2.connect(s, addr, len);
  }

  @Override
  public boolean connectPending(int error) {
    return isConnectPending(error);
  }

  /**
   * Whether a failed {@code connect} goes on asynchronously: {@code WSAEWOULDBLOCK} (what a
   * non-blocking connect reports), {@code WSAEINPROGRESS}, or {@code WSAEALREADY} (a connect
   * while one is in progress).
   *
   * @param wsaError a {@code WSAGetLastError} value
   * @return true while the connection is in progress
   */
  public static boolean isConnectPending(int wsaError) {
    return wsaError == WinError.WSAEWOULDBLOCK
        || wsaError == WinError.WSAEINPROGRESS
        || wsaError == WinError.WSAEALREADY;
  }

  @Override
  public int pollConnect(long s) {
    SocketScratch x = SocketScratch.get();
    ByteBuffer m = x.mem;
    m.putLong(WRITE_SET + Winsock2.OFFSET_FD_SET_COUNT, 1L); // fd_count 1 and its padding
    m.putLong(WRITE_SET + Winsock2.OFFSET_FD_SET_ARRAY, s);
    m.putLong(EXCEPT_SET + Winsock2.OFFSET_FD_SET_COUNT, 1L);
    m.putLong(EXCEPT_SET + Winsock2.OFFSET_FD_SET_ARRAY, s);
    m.putLong(TIMEVAL, 0L); // tv_sec 0, tv_usec 0: do not wait
    int rc = Winsock2.select(0, 0, x.at(WRITE_SET), x.at(EXCEPT_SET), x.at(TIMEVAL));
    if (rc == Winsock2.SOCKET_ERROR) {
      return -1;
    }
    return rc > 0 ? 1 : 0;
  }

  @Override
  public int getsockname(long s, long addr, long lenAddr) {
    return Winsock2.getsockname(s, addr, lenAddr);
  }

  @Override
  public int getpeername(long s, long addr, long lenAddr) {
    return Winsock2.getpeername(s, addr, lenAddr);
  }

  @Override
  public int getsockopt(long s, int level, int name, long val, long lenAddr) {
    return Winsock2.getsockopt(s, level, name, val, lenAddr);
  }

  @Override
  public int setsockopt(long s, int level, int name, long val, int len) {
    return Winsock2.setsockopt(s, level, name, val, len);
  }

  @Override
  public int shutdown(long s, int how) {
    return Winsock2.shutdown(s, how);
  }

  @Override
  public long recv(long s, long buf, int len, int flags) {
    int n = Winsock2.recv(s, buf, len, flags);
    return n == Winsock2.SOCKET_ERROR ? truncated(len) : n;
  }

  @Override
  public long send(long s, long buf, int len, int flags) {
    int n = Winsock2.send(s, buf, len, flags);
    return n == Winsock2.SOCKET_ERROR ? -Native.getLastError() : n;
  }

  @Override
  public long recvfrom(long s, long buf, int len, int flags, long addr, long lenAddr) {
    int n = Winsock2.recvfrom(s, buf, len, flags, addr, lenAddr);
    return n == Winsock2.SOCKET_ERROR ? truncated(len) : n;
  }

  // After SOCKET_ERROR: a datagram longer than the buffer filled it (WSAEMSGSIZE), else -error.
  private static long truncated(int len) {
    int error = Native.getLastError();
    return error == WinError.WSAEMSGSIZE ? len : -error;
  }

  @Override
  public long sendto(long s, long buf, int len, long addr, int addrLen) {
    int n = Winsock2.sendto(s, buf, len, 0, addr, addrLen);
    return n == Winsock2.SOCKET_ERROR ? -Native.getLastError() : n;
  }

  @Override
  public IoVector vector() {
    return WSABUF;
  }

  @Override
  public long recvVector(long s, SocketScratch x) {
    x.mem.putInt(SocketScratch.VALUE, 0); // flags, in/out
    x.mem.putInt(SocketScratch.LEN, 0);
    if (Winsock2.WSARecv(
            s,
            x.at(SocketScratch.IOV),
            x.iovCount,
            x.at(SocketScratch.LEN),
            x.at(SocketScratch.VALUE),
            0,
            0)
        != 0) {
      return -Native.getLastError();
    }
    return x.mem.getInt(SocketScratch.LEN) & 0xffffffffL;
  }

  @Override
  public long sendVector(long s, SocketScratch x) {
    x.mem.putInt(SocketScratch.LEN, 0);
    if (Winsock2.WSASend(s, x.at(SocketScratch.IOV), x.iovCount, x.at(SocketScratch.LEN), 0, 0, 0)
        != 0) {
      return -Native.getLastError();
    }
    return x.mem.getInt(SocketScratch.LEN) & 0xffffffffL;
  }

  @Override
  public int close(long s) {
    return Winsock2.closesocket(s);
  }
}
