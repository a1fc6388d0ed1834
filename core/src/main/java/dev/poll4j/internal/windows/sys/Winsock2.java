package dev.poll4j.internal.windows.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * winsock2.h (ws2_32.dll): the Winsock 2 calls poll4j's sockets make, with the structures they
 * take laid out by offset. JNA direct mapping with primitive and address arguments only; errors are read with {@code Native.getLastError()} right after a
 * {@link #SOCKET_ERROR} or {@link #INVALID_SOCKET} return (JNA saves {@code GetLastError()},
 * which is the value {@code WSAGetLastError()} returns, before any other call can clear it).
 *
 * <p>A {@code SOCKET} is a {@code UINT_PTR}: 8 bytes on 64-bit Windows, bound here as {@code
 * long}. Its values are kernel handle values, which Windows keeps below 2<sup>32</sup> (64-bit
 * Windows uses 32-bit handle values, so that handles can be passed to 32-bit processes), so they
 * fit the non-negative {@code long} of {@code SourceHandle} and the {@code int} of {@code fd()}.
 * Only the 64-bit ABI is bound: {@link #requireWin64()}.
 *
 * <pre>
 * typedef struct _WSABUF {       // ws2def.h, 64-bit
 *     ULONG len;                 // offset 0
 *     CHAR *buf;                 // offset 8
 * } WSABUF;                      // 16 bytes
 *
 * typedef struct fd_set {        // winsock2.h: a count and an array, not a bit set
 *     u_int  fd_count;           // offset 0
 *     SOCKET fd_array[64];       // offset 8
 * } fd_set;                      // poll4j passes sets of one: 16 bytes
 *
 * struct timeval { long tv_sec; long tv_usec; };  // long is 32 bits: 8 bytes
 * struct linger { u_short l_onoff; u_short l_linger; };  // 4 bytes
 *
 * typedef struct WSAData {       // 64-bit field order
 *     WORD wVersion, wHighVersion; unsigned short iMaxSockets, iMaxUdpDg;
 *     char *lpVendorInfo; char szDescription[257]; char szSystemStatus[129];
 * } WSADATA;                     // 408 bytes
 * </pre>
 *
 * <p>Constants from the Windows SDK headers as transcribed by {@code retep998/winapi-rs} (commit
 * 5b18299: {@code src/um/winsock2.rs}, {@code src/shared/ws2def.rs}); {@code SIO_UDP_CONNRESET}
 * from {@code mswsock.h} ({@code _WSAIOW(IOC_VENDOR, 12)}). The functions are registered on
 * Windows only; elsewhere the constants and layouts are readable (tests) and every call throws
 * {@link UnsatisfiedLinkError}.
 */
public final class Winsock2 {
  /**
   * {@code INVALID_SOCKET}: {@code (SOCKET) ~0}, what {@code socket} and {@code accept} fail
   * with.
   */
  public static final long INVALID_SOCKET = -1L;
  /** {@code SOCKET_ERROR}: what the other calls fail with. */
  public static final int SOCKET_ERROR = -1;

  /** {@code MAKEWORD(2, 2)}: the Winsock version poll4j asks {@link #WSAStartup} for. */
  public static final short WINSOCK_VERSION_2_2 = 0x0202;
  /** {@code sizeof(WSADATA)} on 64-bit Windows. */
  public static final int SIZEOF_WSADATA = 408;
  /** Offset of {@code WSADATA.wVersion}: the version the DLL will use. */
  public static final int OFFSET_WSADATA_VERSION = 0;

  /** {@code WSA_FLAG_OVERLAPPED}: what {@code socket()} sets too; IOCP and AFD polls need it. */
  public static final int WSA_FLAG_OVERLAPPED = 0x01;
  /** {@code WSA_FLAG_NO_HANDLE_INHERIT}: the new handle is not inherited by child processes. */
  public static final int WSA_FLAG_NO_HANDLE_INHERIT = 0x80;

  /** {@code IOC_IN}: the argument is input. */
  public static final int IOC_IN = 0x80000000;
  /** {@code IOC_VENDOR}: a vendor-defined control code. */
  public static final int IOC_VENDOR = 0x18000000;
  /** {@code FIONBIO}: {@code _IOW('f', 126, u_long)}, sets or clears non-blocking mode. */
  public static final int FIONBIO = IOC_IN | ((4 & 0x7f) << 16) | (0x66 << 8) | 126;
  /**
   * {@code SIO_UDP_CONNRESET}: {@code _WSAIOW(IOC_VENDOR, 12)}. With {@code FALSE}, an ICMP port
   * unreachable no longer makes the next receive of a UDP socket fail with {@code
   * WSAECONNRESET}, as it does on Windows even for unconnected sockets (the JDK turns it off too).
   */
  public static final int SIO_UDP_CONNRESET = IOC_IN | IOC_VENDOR | 12;

  /** {@code sizeof(WSABUF)}. */
  public static final int SIZEOF_WSABUF = 16;
  /** Offset of {@code WSABUF.len} (a {@code ULONG}: 4 bytes). */
  public static final int OFFSET_WSABUF_LEN = 0;
  /** Offset of {@code WSABUF.buf}. */
  public static final int OFFSET_WSABUF_BUF = 8;

  /** Offset of {@code fd_set.fd_count} ({@code u_int}). */
  public static final int OFFSET_FD_SET_COUNT = 0;
  /** Offset of {@code fd_set.fd_array[0]} ({@code SOCKET}). */
  public static final int OFFSET_FD_SET_ARRAY = 8;
  /** {@code sizeof} an {@code fd_set} holding one socket, as poll4j passes it. */
  public static final int SIZEOF_FD_SET_OF_ONE = 16;
  /** {@code sizeof(struct timeval)}: two 32-bit {@code long}s. */
  public static final int SIZEOF_TIMEVAL = 8;

  static {
    if (Platform.isWindows()) {
      requireWin64();
      Native.register(Winsock2.class, "ws2_32");
    }
  }

  private Winsock2() {}

  /**
   * Checks that this JVM is 64-bit: the only Windows ABI bound here ({@code SOCKET} as {@code
   * long}, the 64-bit {@code WSABUF} and {@code WSADATA}).
   *
   * @throws UnsupportedOperationException on a 32-bit JVM
   */
  public static void requireWin64() {
    if (Native.POINTER_SIZE != 8) {
      throw new UnsupportedOperationException(
          "poll4j's Winsock bindings know 64-bit Windows only; this JVM is "
              + System.getProperty("os.arch"));
    }
  }

  // -- Native methods --

  /**
   * {@code int WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData)}.
   *
   * @param wVersionRequested {@link #WINSOCK_VERSION_2_2}
   * @param lpWSAData address of {@link #SIZEOF_WSADATA} bytes
   * @return 0, or the error code itself (not through {@code WSAGetLastError})
   */
  public static native int WSAStartup(short wVersionRequested, long lpWSAData);

  /**
   * {@code int WSAGetLastError(void)}: poll4j reads the saved last error instead (see the class
   * description); bound for completeness of the error path.
   *
   * @return the calling thread's last Winsock error
   */
  public static native int WSAGetLastError();

  /**
   * {@code SOCKET WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g,
   * DWORD dwFlags)}.
   *
   * @param af {@code AF_INET}, {@code AF_INET6} or {@code AF_UNIX}
   * @param type {@code SOCK_STREAM} or {@code SOCK_DGRAM}
   * @param protocol 0 for the default
   * @param lpProtocolInfo 0
   * @param g 0
   * @param dwFlags {@link #WSA_FLAG_OVERLAPPED} and {@link #WSA_FLAG_NO_HANDLE_INHERIT}
   * @return the socket, or {@link #INVALID_SOCKET}
   */
  public static native long WSASocketW(
      int af, int type, int protocol, long lpProtocolInfo, int g, int dwFlags);

  /**
   * {@code int ioctlsocket(SOCKET s, long cmd, u_long *argp)}.
   *
   * @param s the socket
   * @param cmd such as {@link #FIONBIO}
   * @param argp address of the {@code u_long} argument
   * @return 0, or {@link #SOCKET_ERROR}
   */
  public static native int ioctlsocket(long s, int cmd, long argp);

  /**
   * {@code int WSAIoctl(SOCKET s, DWORD code, LPVOID in, DWORD inLen, LPVOID out, DWORD outLen,
   * LPDWORD bytesReturned, LPWSAOVERLAPPED overlapped, completionRoutine)}, synchronous.
   *
   * @param s the socket
   * @param dwIoControlCode such as {@link #SIO_UDP_CONNRESET}
   * @param lpvInBuffer address of the input
   * @param cbInBuffer its length
   * @param lpvOutBuffer address of the output, or 0
   * @param cbOutBuffer its length
   * @param lpcbBytesReturned address of a {@code DWORD}
   * @param lpOverlapped 0
   * @param lpCompletionRoutine 0
   * @return 0, or {@link #SOCKET_ERROR}
   */
  public static native int WSAIoctl(
      long s,
      int dwIoControlCode,
      long lpvInBuffer,
      int cbInBuffer,
      long lpvOutBuffer,
      int cbOutBuffer,
      long lpcbBytesReturned,
      long lpOverlapped,
      long lpCompletionRoutine);

  /**
   * {@code int closesocket(SOCKET s)}.
   *
   * @param s the socket
   * @return 0, or {@link #SOCKET_ERROR}
   */
  public static native int closesocket(long s);

  /**
   * {@code int bind(SOCKET s, const struct sockaddr *name, int namelen)}.
   *
   * @param s the socket
   * @param name address of the sockaddr
   * @param namelen its length
   * @return 0, or {@link #SOCKET_ERROR}
   */
  public static native int bind(long s, long name, int namelen);

  /**
   * {@code int listen(SOCKET s, int backlog)}.
   *
   * @param s the socket
   * @param backlog the accept queue length
   * @return 0, or {@link #SOCKET_ERROR}
   */
  public static native int listen(long s, int backlog);

  /**
   * {@code SOCKET accept(SOCKET s, struct sockaddr *addr, int *addrlen)}.
   *
   * @param s the listening socket
   * @param addr address of a sockaddr buffer, or 0
   * @param addrlen address of its length, or 0
   * @return the accepted socket, or {@link #INVALID_SOCKET}
   */
  public static native long accept(long s, long addr, long addrlen);

  /**
   * {@code int connect(SOCKET s, const struct sockaddr *name, int namelen)}.
   *
   * @param s the socket
   * @param name address of the sockaddr
   * @param namelen its length
   * @return 0, or {@link #SOCKET_ERROR} ({@code WSAEWOULDBLOCK} while a non-blocking connection
   *     is in progress)
   */
  public static native int connect(long s, long name, int namelen);

  /**
   * {@code int getsockname(SOCKET s, struct sockaddr *name, int *namelen)}.
   *
   * @param s the socket
   * @param name address of a sockaddr buffer
   * @param namelen address of its length (in/out)
   * @return 0, or {@link #SOCKET_ERROR}
   */
  public static native int getsockname(long s, long name, long namelen);

  /**
   * {@code int getpeername(SOCKET s, struct sockaddr *name, int *namelen)}.
   *
   * @param s the socket
   * @param name address of a sockaddr buffer
   * @param namelen address of its length (in/out)
   * @return 0, or {@link #SOCKET_ERROR}
   */
  public static native int getpeername(long s, long name, long namelen);

  /**
   * {@code int getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen)}.
   *
   * @param s the socket
   * @param level the option level
   * @param optname the option
   * @param optval address of the value buffer
   * @param optlen address of its length (in/out)
   * @return 0, or {@link #SOCKET_ERROR}
   */
  public static native int getsockopt(long s, int level, int optname, long optval, long optlen);

  /**
   * {@code int setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen)}.
   *
   * @param s the socket
   * @param level the option level
   * @param optname the option
   * @param optval address of the value
   * @param optlen its length
   * @return 0, or {@link #SOCKET_ERROR}
   */
  public static native int setsockopt(long s, int level, int optname, long optval, int optlen);

  /**
   * {@code int shutdown(SOCKET s, int how)}.
   *
   * @param s the socket
   * @param how {@code SD_RECEIVE}, {@code SD_SEND} or {@code SD_BOTH}
   * @return 0, or {@link #SOCKET_ERROR}
   */
  public static native int shutdown(long s, int how);

  /**
   * {@code int recv(SOCKET s, char *buf, int len, int flags)}.
   *
   * @param s the socket
   * @param buf address of the first byte to fill
   * @param len bytes to receive at most
   * @param flags such as {@code MSG_PEEK}
   * @return bytes received, 0 at end of stream, or {@link #SOCKET_ERROR}
   */
  public static native int recv(long s, long buf, int len, int flags);

  /**
   * {@code int send(SOCKET s, const char *buf, int len, int flags)}.
   *
   * @param s the socket
   * @param buf address of the first byte to send
   * @param len bytes to send
   * @param flags such as {@code MSG_OOB}
   * @return bytes sent, or {@link #SOCKET_ERROR}
   */
  public static native int send(long s, long buf, int len, int flags);

  /**
   * {@code int recvfrom(SOCKET s, char *buf, int len, int flags, struct sockaddr *from, int
   * *fromlen)}.
   *
   * @param s the socket
   * @param buf address of the first byte to fill
   * @param len bytes to receive at most
   * @param flags such as {@code MSG_PEEK}
   * @param from address of a sockaddr buffer
   * @param fromlen address of its length (in/out)
   * @return bytes received, or {@link #SOCKET_ERROR}
   */
  public static native int recvfrom(
      long s, long buf, int len, int flags, long from, long fromlen);

  /**
   * {@code int sendto(SOCKET s, const char *buf, int len, int flags, const struct sockaddr *to,
   * int tolen)}.
   *
   * @param s the socket
   * @param buf address of the first byte to send
   * @param len bytes to send
   * @param flags 0
   * @param to address of the destination, or 0 for the connected peer
   * @param tolen its length
   * @return bytes sent, or {@link #SOCKET_ERROR}
   */
  public static native int sendto(long s, long buf, int len, int flags, long to, int tolen);

  /**
   * {@code int WSARecv(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD received, LPDWORD flags,
   * LPWSAOVERLAPPED overlapped, completionRoutine)}, synchronous (no overlapped).
   *
   * @param s the socket
   * @param lpBuffers address of the {@code WSABUF} array
   * @param dwBufferCount its length
   * @param lpNumberOfBytesRecvd address of a {@code DWORD} that receives the count
   * @param lpFlags address of the {@code DWORD} flags (in/out)
   * @param lpOverlapped 0
   * @param lpCompletionRoutine 0
   * @return 0 (the count is at {@code lpNumberOfBytesRecvd}; 0 bytes is end of stream), or
   *     {@link #SOCKET_ERROR}
   */
  public static native int WSARecv(
      long s,
      long lpBuffers,
      int dwBufferCount,
      long lpNumberOfBytesRecvd,
      long lpFlags,
      long lpOverlapped,
      long lpCompletionRoutine);

  /**
   * {@code int WSASend(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags,
   * LPWSAOVERLAPPED overlapped, completionRoutine)}, synchronous (no overlapped).
   *
   * @param s the socket
   * @param lpBuffers address of the {@code WSABUF} array
   * @param dwBufferCount its length
   * @param lpNumberOfBytesSent address of a {@code DWORD} that receives the count
   * @param dwFlags 0
   * @param lpOverlapped 0
   * @param lpCompletionRoutine 0
   * @return 0 (the count is at {@code lpNumberOfBytesSent}), or {@link #SOCKET_ERROR}
   */
  public static native int WSASend(
      long s,
      long lpBuffers,
      int dwBufferCount,
      long lpNumberOfBytesSent,
      int dwFlags,
      long lpOverlapped,
      long lpCompletionRoutine);

  /**
   * {@code int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const
   * struct timeval *timeout)}.
   *
   * @param nfds ignored by Winsock
   * @param readfds address of an {@code fd_set}, or 0
   * @param writefds address of an {@code fd_set}, or 0
   * @param exceptfds address of an {@code fd_set}, or 0
   * @param timeout address of a {@code timeval}; zeros poll
   * @return how many sockets are ready (the sets keep only those), or {@link #SOCKET_ERROR}
   */
  public static native int select(
      int nfds, long readfds, long writefds, long exceptfds, long timeout);
}
