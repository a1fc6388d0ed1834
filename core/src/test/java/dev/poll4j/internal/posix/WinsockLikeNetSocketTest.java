package dev.poll4j.internal.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.Mode;
import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.Os;
import dev.poll4j.internal.posix.sys.Socket;
import dev.poll4j.internal.windows.WinsockCalls;
import dev.poll4j.internal.windows.sys.WinError;
import dev.poll4j.spi.BackendSelector;
import dev.poll4j.spi.EventBuffer;
import dev.poll4j.spi.Ops;
import dev.poll4j.spi.Registration;
import dev.poll4j.spi.SourceHandle;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link NetSocket} and {@link SocketIo} driven through a {@link SocketCalls} that answers the way
 * Winsock does, on any host: a non-blocking connect fails with {@code WSAEWOULDBLOCK} (not
 * {@code EINPROGRESS}), completion is seen by polling and the error is read from {@code
 * SO_ERROR}, receives and accepts fail with {@code WSAEWOULDBLOCK}. The fake keeps Winsock codes
 * and reports them as {@link WinsockCalls} would after the Windows column of {@code Errno} maps
 * them to this host's numbers (the socket code compares against the current OS's constants), and
 * classifies them with {@link WinsockCalls}' own pure functions, so the Windows paths of the
 * socket code are taken here: connect in progress, {@code finishConnect}, the would-block hook,
 * accept returning null.
 */
@DisabledOnOs(
    value = OS.WINDOWS,
    disabledReason =
        "fakes Winsock on a POSIX host, mapping its codes onto the host's errno; on"
            + " Windows the real Winsock runs under the conformance suite")
class WinsockLikeNetSocketTest {
  /** A {@code SOCKET} value as Windows hands them out: a multiple of 4. */
  private static final long SOCKET = 0x2a4;

  private final WinsockLike calls = new WinsockLike();
  private final RecordingSelector selector = new RecordingSelector();

  @BeforeEach
  void hostHasTheErrnoNamesTheFakeNeeds() {
    assertTrue(Os.current().isPosix(), "the fake maps Winsock codes onto a POSIX host's errno");
  }

  @Test
  void connectInProgressIsFinishedByPolling() throws IOException {
    NetSocket s = NetSocket.open(calls, Socket.AF_INET, Socket.SOCK_STREAM, "tcp stream");
    assertEquals(SOCKET, s.handle().value());
    assertEquals(List.of("socket", "adopt(stream)"), calls.log);
    register(s.handle(), Ops.READABLE | Ops.WRITABLE);
    calls.connectError = WinError.WSAEWOULDBLOCK;
    assertFalse(s.connect(loopback(9)), "WSAEWOULDBLOCK from connect means in progress");
    assertEquals(List.of(Ops.WRITABLE), selector.rearmed, "would-block hook for writable");

    calls.pollResults.add(0);
    assertFalse(s.finishConnect(), "still in progress");
    assertEquals(List.of(Ops.WRITABLE, Ops.WRITABLE), selector.rearmed);

    calls.pollResults.add(1);
    calls.peerConnected = true;
    assertTrue(s.finishConnect());
    int polls = calls.count("pollConnect");
    assertTrue(s.finishConnect(), "connected stays connected");
    assertEquals(polls, calls.count("pollConnect"), "no poll once connected");
    assertEquals(List.of(Ops.WRITABLE, Ops.WRITABLE), selector.rearmed);
  }

  @Test
  void aRefusedConnectIsReadFromSoError() throws IOException {
    NetSocket s = NetSocket.open(calls, Socket.AF_INET, Socket.SOCK_STREAM, "tcp stream");
    calls.connectError = WinError.WSAEWOULDBLOCK;
    assertFalse(s.connect(loopback(9)));
    calls.pollResults.add(1); // select: the socket is in the except set
    calls.soError = WinError.WSAECONNREFUSED;
    ConnectException e = assertThrows(ConnectException.class, s::finishConnect);
    assertEquals("Connection refused", e.getMessage());
  }

  @Test
  void anImmediateRefusalIsAConnectException() throws IOException {
    NetSocket s = NetSocket.open(calls, Socket.AF_INET, Socket.SOCK_STREAM, "tcp stream");
    calls.connectError = WinError.WSAECONNREFUSED;
    assertInstanceOf(ConnectException.class, assertThrows(IOException.class,
        () -> s.connect(loopback(9))));
  }

  @Test
  void receiveWouldBlockReturnsZeroAndCallsTheHook() throws IOException {
    NetSocket s = NetSocket.open(calls, Socket.AF_INET, Socket.SOCK_STREAM, "tcp stream");
    register(s.handle(), Ops.READABLE);
    calls.recvError = WinError.WSAEWOULDBLOCK;
    assertEquals(0, SocketIo.read(s, ByteBuffer.allocateDirect(64), false));
    assertEquals(0, SocketIo.read(s, ByteBuffer.allocate(64), false), "heap buffers too");
    assertEquals(List.of(Ops.READABLE, Ops.READABLE), selector.rearmed);
    calls.recvError = WinError.WSAECONNRESET;
    IOException reset =
        assertThrows(IOException.class, () -> SocketIo.read(s, ByteBuffer.allocate(8), false));
    assertEquals("Connection reset", reset.getMessage());
  }

  @Test
  void receivesAfterTheReadHalfIsShutDownReadEndOfStream() throws IOException {
    NetSocket s = NetSocket.open(calls, Socket.AF_INET, Socket.SOCK_STREAM, "tcp stream");
    register(s.handle(), Ops.READABLE);
    s.shutdown(NetSocket.SHUT_RD);
    calls.recvError = WinError.WSAESHUTDOWN; // Winsock's answer where POSIX returns 0
    assertEquals(-1, SocketIo.read(s, ByteBuffer.allocateDirect(8), false));
    assertEquals(-1, SocketIo.read(s, ByteBuffer.allocate(8), true), "a peek too");
    assertEquals(
        -1, SocketIo.read(s, new ByteBuffer[] {ByteBuffer.allocate(8)}, 0, 1), "WSARecv too");
    assertEquals(List.of(), selector.rearmed, "end of stream is no would-block");
  }

  @Test
  void acceptWouldBlockReturnsNull() throws IOException {
    NetSocket listener = NetSocket.open(calls, Socket.AF_INET, Socket.SOCK_STREAM, "listener");
    register(listener.handle(), Ops.READABLE);
    calls.acceptError = WinError.WSAEWOULDBLOCK;
    assertNull(listener.accept("tcp stream"));
    assertEquals(List.of(Ops.READABLE), selector.rearmed);
    calls.acceptError = WinError.WSAECONNRESET; // reset while queued: take the next
    calls.acceptErrorsLeft = 1;
    assertNull(listener.accept("tcp stream"));
    assertEquals(2, calls.count("accept") - 1, "retried after WSAECONNRESET");
  }

  @Test
  void unixDatagramsDoNotExistOnWindows() {
    UnsupportedOperationException e =
        assertThrows(
            UnsupportedOperationException.class,
            () -> NetSocket.open(calls, Socket.AF_UNIX, Socket.SOCK_DGRAM, "unix datagram"));
    assertTrue(e.getMessage().contains("Windows"), e.getMessage());
    assertEquals(List.of(), calls.log, "refused before any native call");
  }

  @Test
  void listenersDoNotSetReuseAddressOnWindows() throws IOException {
    NetSocket s = NetSocket.open(calls, Socket.AF_INET, Socket.SOCK_STREAM, "listener");
    assertFalse(s.listenersReuseAddress());
    assertTrue(SocketCalls.CURRENT.listenersReuseAddress(), "this host is POSIX");
  }

  @Test
  void closingClosesTheSocketOnce() throws IOException {
    NetSocket s = NetSocket.open(calls, Socket.AF_INET6, Socket.SOCK_STREAM, "tcp stream");
    s.close();
    s.close();
    assertEquals(1, calls.count("close"));
    assertThrows(java.nio.channels.ClosedChannelException.class, () -> s.connect(loopback(1)));
  }

  private void register(SourceHandle h, int interest) throws IOException {
    h.register(selector, 7, interest, Mode.EDGE);
  }

  private static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** A selector that emulates edge mode and records what the would-block hook re-arms. */
  static final class RecordingSelector extends BackendSelector {
    final List<Integer> rearmed = new ArrayList<>();

    RecordingSelector() {
      super("recording", true);
    }

    @Override
    protected Registration doRegister(SourceHandle handle, long token, int interest, Mode mode) {
      return new Registration(this, handle, token, interest, mode) {};
    }

    @Override
    protected void doReregister(Registration r, long token, int interest, Mode mode) {
      r.update(token, interest, mode);
    }

    @Override
    protected void doDeregister(Registration r, boolean handleClosing) {}

    @Override
    protected void doRearm(Registration r, int ops) {
      rearmed.add(ops);
    }

    @Override
    protected void doSelect(EventBuffer buffer, long timeoutNanos) {}

    @Override
    protected void doWakeup() {}

    @Override
    protected void doClose() {}
  }

  /** Socket calls with Winsock's answers. */
  static final class WinsockLike implements SocketCalls {
    final List<String> log = new ArrayList<>();
    final Deque<Integer> pollResults = new ArrayDeque<>();
    /** The Winsock error of the last failed call. */
    int wsaError;
    int connectError;
    int recvError;
    int acceptError;
    int acceptErrorsLeft = Integer.MAX_VALUE;
    int soError;
    boolean peerConnected;

    int count(String call) {
      return (int) log.stream().filter(call::equals).count();
    }

    private long fail(int wsa) {
      wsaError = wsa;
      return -1;
    }

    // The data calls return the error itself, negated.
    private static long dataFail(int wsa) {
      return -toHost(wsa);
    }

    // The POSIX name whose Windows value is wsa, as this host numbers it; and back.
    private static int toHost(int wsa) {
      for (Map.Entry<String, int[]> row : Errno.TABLE.rows().entrySet()) {
        if (row.getValue()[Os.WINDOWS.ordinal()] == wsa) {
          return row.getValue()[Os.current().ordinal()];
        }
      }
      throw new AssertionError("no POSIX name for Winsock code " + wsa);
    }

    private static int toWinsock(int host) {
      for (Map.Entry<String, int[]> row : Errno.TABLE.rows().entrySet()) {
        if (row.getValue()[Os.current().ordinal()] == host) {
          return row.getValue()[Os.WINDOWS.ordinal()];
        }
      }
      throw new AssertionError("no Winsock code for errno " + host);
    }

    private static void putInt(long address, int value) {
      SocketScratch x = SocketScratch.get();
      x.mem.putInt((int) (address - x.address), value);
    }

    @Override
    public int lastError() {
      return toHost(wsaError);
    }

    @Override
    public long socket(int family, int type) {
      log.add("socket");
      return SOCKET;
    }

    @Override
    public void adopt(long s, boolean datagram, String call) {
      log.add(datagram ? "adopt(datagram)" : "adopt(stream)");
    }

    @Override
    public long reserveSocket() {
      return -1;
    }

    @Override
    public int socketpair(int type, long[] pair) {
      throw new UnsupportedOperationException("socketpair does not exist on Windows");
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
      return 0;
    }

    @Override
    public int listen(long s, int backlog) {
      return 0;
    }

    @Override
    public long accept(long s) {
      log.add("accept");
      if (acceptErrorsLeft-- > 0) {
        return fail(acceptError);
      }
      return fail(WinError.WSAEWOULDBLOCK);
    }

    @Override
    public boolean acceptAborted(int error) {
      return WinsockCalls.isAcceptAborted(toWinsock(error));
    }

    @Override
    public int connect(long s, long addr, int len) {
      log.add("connect");
      return (int) fail(connectError);
    }

    @Override
    public boolean connectPending(int error) {
      return WinsockCalls.isConnectPending(toWinsock(error));
    }

    @Override
    public int pollConnect(long s) {
      log.add("pollConnect");
      return pollResults.remove();
    }

    @Override
    public int getsockname(long s, long addr, long lenAddr) {
      return (int) fail(WinError.WSAEINVAL);
    }

    @Override
    public int getpeername(long s, long addr, long lenAddr) {
      return peerConnected ? 0 : (int) fail(WinError.WSAENOTCONN);
    }

    @Override
    public int getsockopt(long s, int level, int name, long val, long lenAddr) {
      if (level == Socket.SOL_SOCKET && name == Socket.SO_ERROR) {
        putInt(val, soError == 0 ? 0 : toHost(soError)); // SO_ERROR holds a Winsock code
        soError = 0;
        return 0;
      }
      return (int) fail(WinError.WSAENOPROTOOPT);
    }

    @Override
    public int setsockopt(long s, int level, int name, long val, int len) {
      return 0;
    }

    @Override
    public int shutdown(long s, int how) {
      return 0;
    }

    @Override
    public long recv(long s, long buf, int len, int flags) {
      return dataFail(recvError);
    }

    @Override
    public long send(long s, long buf, int len, int flags) {
      return dataFail(WinError.WSAEWOULDBLOCK);
    }

    @Override
    public long recvfrom(long s, long buf, int len, int flags, long addr, long lenAddr) {
      return dataFail(WinError.WSAEWOULDBLOCK);
    }

    @Override
    public long sendto(long s, long buf, int len, long addr, int addrLen) {
      return dataFail(WinError.WSAEWOULDBLOCK);
    }

    @Override
    public IoVector vector() {
      return new IoVector(16, 8, 0, 4);
    }

    @Override
    public long recvVector(long s, SocketScratch x) {
      return dataFail(recvError != 0 ? recvError : WinError.WSAEWOULDBLOCK);
    }

    @Override
    public long sendVector(long s, SocketScratch x) {
      return dataFail(WinError.WSAEWOULDBLOCK);
    }

    @Override
    public int close(long s) {
      log.add("close");
      return 0;
    }
  }
}
