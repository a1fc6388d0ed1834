package dev.poll4j.internal.windows.sys;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * winerror.h: the Winsock error codes that {@code WSAGetLastError} returns, their names, and a
 * short message for each. Constants and pure functions only, so they are testable on any host.
 *
 * <p>Values from the Windows SDK's {@code winerror.h} as transcribed by the {@code
 * retep998/winapi-rs} crate ({@code src/shared/winerror.rs}, commit 5b18299); the messages are
 * poll4j's own short wording, in the style of {@code strerror}, so that messages do not depend on
 * the display language of the machine. The POSIX names that NetSocket tests errors by are mapped
 * onto these codes by the Windows column of {@code Errno.TABLE}.
 */
public final class WinError {
  /** {@code WSAEINTR}: Interrupted function call. */
  public static final int WSAEINTR = 10004;
  /** {@code WSAEBADF}: Bad file handle. */
  public static final int WSAEBADF = 10009;
  /** {@code WSAEACCES}: Permission denied. */
  public static final int WSAEACCES = 10013;
  /** {@code WSAEFAULT}: Bad address. */
  public static final int WSAEFAULT = 10014;
  /** {@code WSAEINVAL}: Invalid argument. */
  public static final int WSAEINVAL = 10022;
  /** {@code WSAEMFILE}: Too many open sockets. */
  public static final int WSAEMFILE = 10024;
  /** {@code WSAEWOULDBLOCK}: Resource temporarily unavailable. */
  public static final int WSAEWOULDBLOCK = 10035;
  /** {@code WSAEINPROGRESS}: Operation now in progress. */
  public static final int WSAEINPROGRESS = 10036;
  /** {@code WSAEALREADY}: Operation already in progress. */
  public static final int WSAEALREADY = 10037;
  /** {@code WSAENOTSOCK}: Socket operation on something that is not a socket. */
  public static final int WSAENOTSOCK = 10038;
  /** {@code WSAEDESTADDRREQ}: Destination address required. */
  public static final int WSAEDESTADDRREQ = 10039;
  /** {@code WSAEMSGSIZE}: Message too long. */
  public static final int WSAEMSGSIZE = 10040;
  /** {@code WSAEPROTOTYPE}: Protocol wrong type for socket. */
  public static final int WSAEPROTOTYPE = 10041;
  /** {@code WSAENOPROTOOPT}: Bad protocol option. */
  public static final int WSAENOPROTOOPT = 10042;
  /** {@code WSAEPROTONOSUPPORT}: Protocol not supported. */
  public static final int WSAEPROTONOSUPPORT = 10043;
  /** {@code WSAESOCKTNOSUPPORT}: Socket type not supported. */
  public static final int WSAESOCKTNOSUPPORT = 10044;
  /** {@code WSAEOPNOTSUPP}: Operation not supported. */
  public static final int WSAEOPNOTSUPP = 10045;
  /** {@code WSAEPFNOSUPPORT}: Protocol family not supported. */
  public static final int WSAEPFNOSUPPORT = 10046;
  /** {@code WSAEAFNOSUPPORT}: Address family not supported by protocol family. */
  public static final int WSAEAFNOSUPPORT = 10047;
  /** {@code WSAEADDRINUSE}: Address already in use. */
  public static final int WSAEADDRINUSE = 10048;
  /** {@code WSAEADDRNOTAVAIL}: Cannot assign requested address. */
  public static final int WSAEADDRNOTAVAIL = 10049;
  /** {@code WSAENETDOWN}: Network is down. */
  public static final int WSAENETDOWN = 10050;
  /** {@code WSAENETUNREACH}: Network is unreachable. */
  public static final int WSAENETUNREACH = 10051;
  /** {@code WSAENETRESET}: Network dropped connection on reset. */
  public static final int WSAENETRESET = 10052;
  /** {@code WSAECONNABORTED}: Software caused connection abort. */
  public static final int WSAECONNABORTED = 10053;
  /** {@code WSAECONNRESET}: Connection reset by peer. */
  public static final int WSAECONNRESET = 10054;
  /** {@code WSAENOBUFS}: No buffer space available. */
  public static final int WSAENOBUFS = 10055;
  /** {@code WSAEISCONN}: Socket is already connected. */
  public static final int WSAEISCONN = 10056;
  /** {@code WSAENOTCONN}: Socket is not connected. */
  public static final int WSAENOTCONN = 10057;
  /** {@code WSAESHUTDOWN}: Cannot send after socket shutdown. */
  public static final int WSAESHUTDOWN = 10058;
  /** {@code WSAETOOMANYREFS}: Too many references. */
  public static final int WSAETOOMANYREFS = 10059;
  /** {@code WSAETIMEDOUT}: Connection timed out. */
  public static final int WSAETIMEDOUT = 10060;
  /** {@code WSAECONNREFUSED}: Connection refused. */
  public static final int WSAECONNREFUSED = 10061;
  /** {@code WSAELOOP}: Cannot translate name. */
  public static final int WSAELOOP = 10062;
  /** {@code WSAENAMETOOLONG}: Name too long. */
  public static final int WSAENAMETOOLONG = 10063;
  /** {@code WSAEHOSTDOWN}: Host is down. */
  public static final int WSAEHOSTDOWN = 10064;
  /** {@code WSAEHOSTUNREACH}: No route to host. */
  public static final int WSAEHOSTUNREACH = 10065;
  /** {@code WSAEPROCLIM}: Too many processes. */
  public static final int WSAEPROCLIM = 10067;
  /** {@code WSASYSNOTREADY}: Network subsystem is unavailable. */
  public static final int WSASYSNOTREADY = 10091;
  /** {@code WSAVERNOTSUPPORTED}: Winsock version out of range. */
  public static final int WSAVERNOTSUPPORTED = 10092;
  /** {@code WSANOTINITIALISED}: Successful WSAStartup not yet performed. */
  public static final int WSANOTINITIALISED = 10093;
  /** {@code WSAEDISCON}: Graceful shutdown in progress. */
  public static final int WSAEDISCON = 10101;

  /** Name and message of every code above, in ascending order. */
  private static final Map<Integer, String[]> CODES = build();

  private WinError() {}

  private static Map<Integer, String[]> build() {
    Map<Integer, String[]> m = new LinkedHashMap<>();
    m.put(WSAEINTR, new String[] {"WSAEINTR", "Interrupted function call"});
    m.put(WSAEBADF, new String[] {"WSAEBADF", "Bad file handle"});
    m.put(WSAEACCES, new String[] {"WSAEACCES", "Permission denied"});
    m.put(WSAEFAULT, new String[] {"WSAEFAULT", "Bad address"});
    m.put(WSAEINVAL, new String[] {"WSAEINVAL", "Invalid argument"});
    m.put(WSAEMFILE, new String[] {"WSAEMFILE", "Too many open sockets"});
    m.put(WSAEWOULDBLOCK, new String[] {"WSAEWOULDBLOCK", "Resource temporarily unavailable"});
    m.put(WSAEINPROGRESS, new String[] {"WSAEINPROGRESS", "Operation now in progress"});
    m.put(WSAEALREADY, new String[] {"WSAEALREADY", "Operation already in progress"});
    m.put(WSAENOTSOCK, new String[] {"WSAENOTSOCK",
        "Socket operation on something that is not a socket"});
    m.put(WSAEDESTADDRREQ, new String[] {"WSAEDESTADDRREQ", "Destination address required"});
    m.put(WSAEMSGSIZE, new String[] {"WSAEMSGSIZE", "Message too long"});
    m.put(WSAEPROTOTYPE, new String[] {"WSAEPROTOTYPE", "Protocol wrong type for socket"});
    m.put(WSAENOPROTOOPT, new String[] {"WSAENOPROTOOPT", "Bad protocol option"});
    m.put(WSAEPROTONOSUPPORT, new String[] {"WSAEPROTONOSUPPORT", "Protocol not supported"});
    m.put(WSAESOCKTNOSUPPORT, new String[] {"WSAESOCKTNOSUPPORT", "Socket type not supported"});
    m.put(WSAEOPNOTSUPP, new String[] {"WSAEOPNOTSUPP", "Operation not supported"});
    m.put(WSAEPFNOSUPPORT, new String[] {"WSAEPFNOSUPPORT", "Protocol family not supported"});
    m.put(WSAEAFNOSUPPORT, new String[] {"WSAEAFNOSUPPORT",
        "Address family not supported by protocol family"});
    m.put(WSAEADDRINUSE, new String[] {"WSAEADDRINUSE", "Address already in use"});
    m.put(WSAEADDRNOTAVAIL, new String[] {"WSAEADDRNOTAVAIL", "Cannot assign requested address"});
    m.put(WSAENETDOWN, new String[] {"WSAENETDOWN", "Network is down"});
    m.put(WSAENETUNREACH, new String[] {"WSAENETUNREACH", "Network is unreachable"});
    m.put(WSAENETRESET, new String[] {"WSAENETRESET", "Network dropped connection on reset"});
    m.put(WSAECONNABORTED, new String[] {"WSAECONNABORTED", "Software caused connection abort"});
    m.put(WSAECONNRESET, new String[] {"WSAECONNRESET", "Connection reset by peer"});
    m.put(WSAENOBUFS, new String[] {"WSAENOBUFS", "No buffer space available"});
    m.put(WSAEISCONN, new String[] {"WSAEISCONN", "Socket is already connected"});
    m.put(WSAENOTCONN, new String[] {"WSAENOTCONN", "Socket is not connected"});
    m.put(WSAESHUTDOWN, new String[] {"WSAESHUTDOWN", "Cannot send after socket shutdown"});
    m.put(WSAETOOMANYREFS, new String[] {"WSAETOOMANYREFS", "Too many references"});
    m.put(WSAETIMEDOUT, new String[] {"WSAETIMEDOUT", "Connection timed out"});
    m.put(WSAECONNREFUSED, new String[] {"WSAECONNREFUSED", "Connection refused"});
    m.put(WSAELOOP, new String[] {"WSAELOOP", "Cannot translate name"});
    m.put(WSAENAMETOOLONG, new String[] {"WSAENAMETOOLONG", "Name too long"});
    m.put(WSAEHOSTDOWN, new String[] {"WSAEHOSTDOWN", "Host is down"});
    m.put(WSAEHOSTUNREACH, new String[] {"WSAEHOSTUNREACH", "No route to host"});
    m.put(WSAEPROCLIM, new String[] {"WSAEPROCLIM", "Too many processes"});
    m.put(WSASYSNOTREADY, new String[] {"WSASYSNOTREADY", "Network subsystem is unavailable"});
    m.put(WSAVERNOTSUPPORTED, new String[] {"WSAVERNOTSUPPORTED", "Winsock version out of range"});
    m.put(WSANOTINITIALISED, new String[] {"WSANOTINITIALISED",
        "Successful WSAStartup not yet performed"});
    m.put(WSAEDISCON, new String[] {"WSAEDISCON", "Graceful shutdown in progress"});
    return Collections.unmodifiableMap(m);
  }

  /**
   * The symbolic name of a Winsock error code.
   *
   * @param code a {@code WSAGetLastError} value
   * @return a name such as {@code WSAECONNRESET}, or {@code error N} when unknown
   */
  public static String name(int code) {
    String[] c = CODES.get(code);
    return c != null ? c[0] : "error " + code;
  }

  /**
   * A short message for a Winsock error code.
   *
   * @param code a {@code WSAGetLastError} value
   * @return such as {@code Connection reset by peer}, or {@code Unknown error N}
   */
  public static String message(int code) {
    String[] c = CODES.get(code);
    return c != null ? c[1] : "Unknown error " + code;
  }

  /**
   * Every known code, for tests.
   *
   * @return code to {@code {name, message}}, unmodifiable
   */
  public static Map<Integer, String[]> codes() {
    return CODES;
  }
}
