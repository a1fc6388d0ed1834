package dev.poll4j.internal.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import dev.poll4j.internal.posix.sys.Errno;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * How {@link SocketPipe} connects its pair, through this host's socket calls with a hook in
 * front of them: a connection of another program that reaches the listener first is refused and
 * the pair still forms, and a failing call leaves no socket open.
 */
@Timeout(30)
@EnabledOnOs(
    value = OS.LINUX,
    disabledReason = "reads the port out of a Linux struct sockaddr_in; the pair itself is tested"
        + " on every system by dev.poll4j.SocketPipeTest and the conformance suite")
class SocketPipeConnectTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  /** Hooks in front of the real calls: return null to let the real call run. */
  interface Hook {
    Object before(String method, Object[] args) throws Exception;
  }

  /** The POSIX calls with {@code hook} in front; records the sockets made and closed. */
  private static SocketCalls hooked(Hook hook, Set<Long> open) {
    SocketCalls real = SocketCalls.CURRENT;
    return (SocketCalls)
        Proxy.newProxyInstance(
            SocketCalls.class.getClassLoader(),
            new Class<?>[] {SocketCalls.class},
            (proxy, method, args) -> {
              Object early = hook.before(method.getName(), args);
              if (early != null) {
                return early;
              }
              Object result;
              try {
                result = method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              String name = method.getName();
              if ((name.equals("socket") || name.equals("accept")) && (Long) result >= 0) {
                open.add((Long) result);
              } else if (name.equals("close") && (Integer) result == 0) {
                open.remove((Long) args[0]);
              }
              return result;
            });
  }

  // The port of a struct sockaddr_in at addr: network byte order at offset 2.
  private static int port(long addr) {
    Pointer p = new Pointer(addr);
    return (p.getByte(2) & 0xff) << 8 | (p.getByte(3) & 0xff);
  }

  @Test
  void aStrangersConnectionThatComesFirstIsClosedAndThePairStillForms() throws Exception {
    Set<Long> open = new HashSet<>();
    List<Socket> strangers = new ArrayList<>();
    SocketCalls calls =
        hooked(
            (method, args) -> {
              if (method.equals("connect") && strangers.isEmpty()) {
                // Another program connects to the listener just before the write end does.
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port((Long) args[1]));
                strangers.add(s);
                toClose.add(s);
              }
              return null;
            },
            open);
    NetSocket[] pair = SocketPipe.open(calls);
    assertEquals(1, strangers.size());
    assertEquals(
        pair[1].localAddress(), pair[0].peerAddress(), "the reader is the writer's peer");
    assertEquals(Set.of(pair[0].handle().value(), pair[1].handle().value()), open,
        "the listener and the stranger's accepted socket are closed");
    ByteBuffer b = ByteBuffer.allocateDirect(4).put((byte) 42).flip();
    assertEquals(1, SocketIo.write(pair[1], b));
    long deadline = System.nanoTime() + 5_000_000_000L;
    ByteBuffer in = ByteBuffer.allocate(4);
    while (SocketIo.read(pair[0], in, false) == 0) {
      assertTrue(System.nanoTime() < deadline, "the byte never arrived");
    }
    assertEquals(42, in.get(0));
    try (InputStream strangerIn = strangers.get(0).getInputStream()) {
      try {
        assertEquals(-1, strangerIn.read(), "the stranger's connection is closed");
      } catch (SocketException reset) {
        // also closed
      }
    }
    pair[0].close();
    pair[1].close();
  }

  @Test
  void aFailingCallClosesEverySocketItMadeAndNamesTheCall() {
    Set<Long> open = new HashSet<>();
    SocketCalls calls =
        hooked(
            (method, args) -> {
              if (method.equals("connect")) {
                return -1; // with the errno of the last real call: set one below
              }
              return null;
            },
            open);
    SocketCalls failing =
        (SocketCalls)
            Proxy.newProxyInstance(
                SocketCalls.class.getClassLoader(),
                new Class<?>[] {SocketCalls.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("lastError")) {
                    return Errno.ECONNREFUSED;
                  }
                  try {
                    return method.invoke(calls, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    IOException e = assertThrows(IOException.class, () -> SocketPipe.open(failing));
    assertTrue(e instanceof java.net.ConnectException, e.toString());
    assertEquals(Set.of(), open, "sockets left open after the failure");
  }
}
