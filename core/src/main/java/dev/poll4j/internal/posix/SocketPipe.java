package dev.poll4j.internal.posix;

import dev.poll4j.internal.posix.sys.Socket;
import dev.poll4j.spi.Ops;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * A pipe for systems without POSIX pipes (Windows): a connected TCP pair on the IPv4 loopback
 * address, one end only read, the other only written, both non-blocking sockets of {@link
 * SocketCalls}, so that the socket backend of that system (IOCP) polls them like any socket.
 *
 * <p>Made like this: a listener on {@code 127.0.0.1} with an ephemeral port and a backlog of one;
 * the write end, bound to {@code 127.0.0.1} with an ephemeral port of its own, connects to it; the listener accepts the read end, whose peer address must be the
 * write end's own address (a connection another local program slipped in first is closed and the
 * next one taken); the write end's connect must then succeed; the listener is closed. So the pair
 * is connected to itself and nothing else, without a secret to exchange.
 *
 * <p>How the pair is made to behave like a pipe:
 *
 * <ul>
 *   <li>Each end's {@link dev.poll4j.spi.SourceHandle#narrowDirections directions} are narrowed
 *       to its side ({@code READABLE} for the read end, {@code WRITABLE} for the write end): the
 *       read end's socket is writable and a pipe's read end never is.
 *   <li>The read end has {@code SO_LINGER} zero: closing it resets the connection at once,
 *       discarding unread data as closing a pipe's read end does, so the writer's next write
 *       fails (with the reset, where a pipe gives {@code EPIPE}) and no connection lingers in
 *       {@code TIME_WAIT} when pipes are opened and closed by the thousand.
 *   <li>The write end has {@code TCP_NODELAY}: a small write is sent at once, as a pipe delivers
 *       it, instead of waiting for the acknowledgement of the previous one (Nagle's algorithm
 *       against delayed acknowledgements can hold a byte for 200 ms).
 *   <li>Closing the write end sends a FIN: the reader reads what was written, then end of stream.
 * </ul>
 */
public final class SocketPipe {
  /** How long making the pair may take before it fails; loopback takes microseconds. */
  static final long CONNECT_LIMIT_NANOS = 10_000_000_000L;

  /** Connections of other programs that are closed before giving up: a local flood. */
  static final int MAX_STRANGERS = 16;

  private static final InetSocketAddress LOOPBACK_ANY_PORT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  private static final Set<SocketOption<?>> OPTIONS =
      Set.of(StandardSocketOptions.SO_LINGER, StandardSocketOptions.TCP_NODELAY);

  private SocketPipe() {}

  /**
   * Makes a pipe from a loopback TCP pair of this system's sockets.
   *
   * @return {@code {reader, writer}}, connected, non-blocking
   * @throws IOException if a socket call fails (the message names it), or the pair is not
   *     connected within 10 seconds
   */
  public static NetSocket[] open() throws IOException {
    return open(SocketCalls.CURRENT);
  }

  /**
   * As {@link #open()}, through the given socket calls (the POSIX ones in tests on a POSIX host).
   *
   * @param calls the native socket calls
   * @return {@code {reader, writer}}
   * @throws IOException if a socket call fails, or the pair is not connected in time
   */
  static NetSocket[] open(SocketCalls calls) throws IOException {
    NetSocket listener = NetSocket.open(calls, Socket.AF_INET, Socket.SOCK_STREAM, "pipe listener");
    NetSocket writer = null;
    NetSocket reader = null;
    try {
      listener.bind(LOOPBACK_ANY_PORT);
      listener.listen(1);
      SocketAddress listening = listener.localAddress();
      writer = NetSocket.open(calls, Socket.AF_INET, Socket.SOCK_STREAM, "pipe writer");
      // Bound first, so its address is known before the connect ends (Winsock reports the
      // wildcard address for a socket that the connect bound implicitly until it is connected).
      writer.bind(LOOPBACK_ANY_PORT);
      SocketAddress writerAddress = writer.localAddress();
      boolean connected = writer.connect(listening);
      long deadline = System.nanoTime() + CONNECT_LIMIT_NANOS;
      int strangers = 0;
      for (int round = 0; reader == null; round++) {
        NetSocket s = listener.accept("pipe reader");
        if (s == null) {
          pause(round, deadline, "no connection from the write end at " + listening);
          continue;
        }
        if (writerAddress.equals(s.peerAddress())) {
          reader = s;
        } else {
          s.close(); // another local program's connection, not ours
          if (++strangers > MAX_STRANGERS) {
            throw new IOException("pipe: " + strangers + " connections of other programs reached"
                + " the pipe's listener at " + listening + " before the write end's own");
          }
        }
      }
      for (int round = 0; !connected; round++) {
        connected = writer.finishConnect();
        if (!connected) {
          pause(round, deadline, "the write end's connect to " + listening + " did not finish");
        }
      }
      reader.setOption(OPTIONS, StandardSocketOptions.SO_LINGER, 0);
      writer.setOption(OPTIONS, StandardSocketOptions.TCP_NODELAY, true);
      reader.handle().narrowDirections(Ops.READABLE);
      writer.handle().narrowDirections(Ops.WRITABLE);
      return new NetSocket[] {reader, writer};
    } catch (IOException | RuntimeException | Error e) {
      closeQuietly(reader, e);
      closeQuietly(writer, e);
      throw e;
    } finally {
      listener.close();
    }
  }

  // Waits a little for the loopback handshake: spins first, then sleeps 100 us at a time.
  private static void pause(int round, long deadline, String what) throws IOException {
    if (System.nanoTime() - deadline > 0) {
      throw new IOException("pipe: " + what + " within " + CONNECT_LIMIT_NANOS / 1_000_000_000L
          + " s");
    }
    if (round < 64) {
      Thread.onSpinWait();
    } else {
      LockSupport.parkNanos(100_000L);
    }
  }

  private static void closeQuietly(NetSocket s, Throwable primary) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        primary.addSuppressed(e);
      }
    }
  }
}
