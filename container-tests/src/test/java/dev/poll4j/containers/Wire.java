package dev.poll4j.containers;

import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Poll;
import dev.poll4j.net.TcpStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.opentest4j.AssertionFailedError;

/**
 * A small client event loop on poll4j, for talking to real peers: TCP connections registered
 * edge-triggered for both directions on one {@link Poll}, each with a queue of bytes to send and a
 * buffer of bytes received. Writes go out until they would block and resume on the next writable
 * event; reads drain to would-block on each readable event. It counts the would-block writes and
 * the readable events, so a test can show that those paths were taken.
 */
final class Wire implements AutoCloseable {
  private final Poll poll;
  private final Events events = Events.withCapacity(256);
  private final List<Conn> conns = new ArrayList<>();
  // One direct buffer for every read: the bytes are copied into the connection's input.
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);

  Wire() throws IOException {
    poll = Poll.open();
  }

  /** The backend under the loop. */
  String backend() {
    return poll.backendName();
  }

  /**
   * Starts a non-blocking connect.
   *
   * @param address the peer
   * @param bufferBytes {@code SO_SNDBUF} and {@code SO_RCVBUF} to set before connecting, or 0 for
   *     the system's defaults (small buffers make would-block writes and partial reads certain)
   */
  Conn connect(InetSocketAddress address, int bufferBytes) throws IOException {
    TcpStream s = TcpStream.open(java.net.StandardProtocolFamily.INET);
    Conn c = new Conn(s, conns.size());
    conns.add(c);
    try {
      if (bufferBytes > 0) {
        s.setOption(StandardSocketOptions.SO_SNDBUF, bufferBytes);
        s.setOption(StandardSocketOptions.SO_RCVBUF, bufferBytes);
      }
      s.setOption(StandardSocketOptions.TCP_NODELAY, true);
      c.connected = s.beginConnect(address);
      poll.registry().register(s, c.token, Interest.READABLE.add(Interest.WRITABLE));
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    return c;
  }

  /**
   * Polls and moves bytes until {@code done} holds.
   *
   * @throws AssertionFailedError if it does not hold within {@code limit}
   */
  void runUntil(BooleanSupplier done, Duration limit, String what) throws IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    for (Conn c : conns) {
      c.flush();
    }
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionFailedError("not done within " + limit + ": " + what + "; " + conns);
      }
      poll.poll(events, Duration.ofMillis(100));
      for (Event e : events) {
        Conn c = conns.get((int) e.token());
        if (e.isWritable() || e.isError()) {
          c.writable();
        }
        if (e.isReadable() || e.isReadClosed() || e.isError()) {
          c.readable();
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (Conn c : conns) {
      try {
        c.stream.close();
      } catch (IOException e) {
        failure = e;
      }
    }
    poll.close();
    if (failure != null) {
      throw failure;
    }
  }

  /** One connection of the loop. */
  final class Conn {
    final TcpStream stream;
    final long token;
    private final Deque<ByteBuffer> pending = new ArrayDeque<>();
    private byte[] input = new byte[64 * 1024];
    private int inputStart;
    private int inputEnd;
    private boolean connected;

    /** Whether the peer ended the stream (read returned -1). */
    boolean ended;

    /** Writes that returned 0 (would block) with bytes still queued. */
    int wouldBlockWrites;

    /** Readable events that delivered bytes. */
    int readEvents;

    /** Reads that delivered bytes. */
    int reads;

    /** Bytes received so far. */
    long received;

    private Conn(TcpStream stream, long token) {
      this.stream = stream;
      this.token = token;
    }

    /** Queues bytes and writes what the socket takes now. */
    void send(byte[] bytes) throws IOException {
      pending.add(ByteBuffer.wrap(bytes));
      flush();
    }

    /** The bytes received and not yet consumed, from {@link #start()} to {@link #end()}. */
    byte[] input() {
      return input;
    }

    int start() {
      return inputStart;
    }

    int end() {
      return inputEnd;
    }

    /** Drops {@code n} bytes from the front of the input. */
    void consume(int n) {
      inputStart += n;
    }

    boolean allSent() {
      return pending.isEmpty();
    }

    private void writable() throws IOException {
      if (!connected) {
        connected = stream.finishConnect();
      }
      flush();
    }

    private void flush() throws IOException {
      if (!connected) {
        return;
      }
      while (!pending.isEmpty()) {
        ByteBuffer b = pending.peek();
        int n = stream.write(b);
        if (!b.hasRemaining()) {
          pending.poll();
        } else if (n == 0) {
          wouldBlockWrites++; // the next writable event resumes
          return;
        }
      }
    }

    private void readable() throws IOException {
      boolean got = false;
      for (; ; ) {
        readBuffer.clear();
        int n = stream.read(readBuffer);
        if (n < 0) {
          ended = true;
          break;
        }
        if (n == 0) {
          break; // drained to would-block: the next edge brings more
        }
        readBuffer.flip();
        append(readBuffer);
        received += n;
        reads++;
        got = true;
      }
      if (got) {
        readEvents++;
      }
    }

    private void append(ByteBuffer b) {
      int n = b.remaining();
      if (inputEnd + n > input.length) {
        int live = inputEnd - inputStart;
        byte[] bigger =
            live + n > input.length / 2 ? new byte[Math.max(input.length * 2, live + n)] : input;
        System.arraycopy(input, inputStart, bigger, 0, live);
        input = bigger;
        inputStart = 0;
        inputEnd = live;
      }
      b.get(input, inputEnd, n);
      inputEnd += n;
    }

    @Override
    public String toString() {
      return "conn "
          + token
          + " (connected "
          + connected
          + ", "
          + pending.size()
          + " buffers to send, "
          + received
          + " bytes received, "
          + (inputEnd - inputStart)
          + " unparsed: "
          + new String(
                  Arrays.copyOfRange(input, inputStart, Math.min(inputEnd, inputStart + 80)),
                  java.nio.charset.StandardCharsets.ISO_8859_1)
              .replace("\r\n", "\\r\\n")
          + ")";
    }
  }
}
