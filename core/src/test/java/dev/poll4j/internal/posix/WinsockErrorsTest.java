package dev.poll4j.internal.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.poll4j.NativeIOException;
import dev.poll4j.internal.posix.sys.Os;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/**
 * Windows' error mapping, run on any host: {@code WSAGetLastError} codes become the same Java
 * exceptions, with the same messages, as the POSIX errors of the same condition, and Winsock
 * names in the others.
 */
class WinsockErrorsTest {
  private static final Os W = Os.WINDOWS;

  @Test
  void refusedAndResetAreJavasOwnExceptions() {
    IOException refused = Errors.socketException(W, "connect(s, 127.0.0.1:9)", 10061);
    assertInstanceOf(ConnectException.class, refused);
    assertEquals("Connection refused", refused.getMessage());
    IOException reset = Errors.socketException(W, "recv(s)", 10054);
    assertEquals(SocketException.class, reset.getClass());
    assertEquals("Connection reset", reset.getMessage());
  }

  @Test
  void unreachableNamesTheWinsockError() {
    IOException host = Errors.socketException(W, "connect(s, 192.0.2.1:80)", 10065);
    assertInstanceOf(NoRouteToHostException.class, host);
    assertEquals(
        "connect(s, 192.0.2.1:80) failed: WSAEHOSTUNREACH (No route to host)", host.getMessage());
    IOException net = Errors.socketException(W, "connect(s, 192.0.2.1:80)", 10051);
    assertInstanceOf(NoRouteToHostException.class, net);
  }

  @Test
  void bindFailuresAreBindExceptions() {
    IOException inUse = Errors.bindException(W, "bind(s, 127.0.0.1:80)", 10048);
    assertEquals(BindException.class, inUse.getClass());
    assertEquals(
        "bind(s, 127.0.0.1:80) failed: WSAEADDRINUSE (Address already in use)",
        inUse.getMessage());
    assertEquals(BindException.class, Errors.bindException(W, "bind", 10049).getClass());
    assertEquals(BindException.class, Errors.bindException(W, "bind", 10013).getClass());
    // A refusal during bind is still a refusal, as on POSIX.
    assertInstanceOf(ConnectException.class, Errors.bindException(W, "bind", 10061));
  }

  @Test
  void otherErrorsAreNativeIOExceptionsWithWinsockNames() {
    IOException e = Errors.socketException(W, "send(s)", 10058);
    NativeIOException n = assertInstanceOf(NativeIOException.class, e);
    assertEquals("WSAESHUTDOWN", n.errnoName());
    assertEquals(10058, n.errno());
    NativeIOException unknown =
        assertInstanceOf(NativeIOException.class, Errors.socketException(W, "x", 12345));
    assertEquals("error 12345", unknown.errnoName());
  }

  @Test
  void posixNumbersMeanNothingOnWindowsAndTheReverse() {
    // 111 is ECONNREFUSED on Linux; on Windows it is no Winsock error.
    assertInstanceOf(NativeIOException.class, Errors.socketException(W, "connect", 111));
    assertNotEquals(
        ConnectException.class, Errors.socketException(Os.LINUX, "connect", 10061).getClass());
    assertInstanceOf(ConnectException.class, Errors.socketException(Os.LINUX, "connect", 111));
    assertInstanceOf(ConnectException.class, Errors.socketException(Os.MACOS, "connect", 61));
  }
}
