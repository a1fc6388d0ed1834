package dev.poll4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.poll4j.internal.posix.SocketPipe;
import dev.poll4j.spi.Ops;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The {@link Pipe} that Windows gets, a loopback TCP pair ({@link SocketPipe}) of this system's
 * sockets: Winsock on Windows, where {@code Pipe.open()} makes it; the POSIX sockets elsewhere.
 * Data, would-block, end of stream, the reset when the reader closes, and the narrowed directions;
 * where core's poll(2) backend exists (not on Windows), also the events, which it emulates edge
 * mode for as the IOCP backend does: the re-arm after would-block, and silence for a direction an
 * end cannot have. On Windows the conformance suite runs every pipe test over these pairs and
 * IOCP.
 */
@Timeout(30)
class SocketPipeTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final String NO_POLL_BACKEND =
      "polls with core's poll(2) backend, which Windows lacks; there the conformance suite's pipe"
          + " tests run over these pairs on IOCP";

  // Opened by the tests that poll, on first use.
  private Poll poll;
  private final Events events = Events.withCapacity(16);
  private final List<Pipe> pipes = new ArrayList<>();

  @AfterEach
  void closeAll() throws IOException {
    if (poll != null) {
      poll.close();
    }
    for (Pipe p : pipes) {
      p.close();
    }
  }

  private Poll poll() throws IOException {
    if (poll == null) {
      poll = Poll.open("poll");
    }
    return poll;
  }

  // What Pipe.open() makes on Windows.
  private Pipe pipe() throws IOException {
    Pipe p = Pipe.overSockets(SocketPipe.open());
    pipes.add(p);
    return p;
  }

  /** Polls until {@code token} reports all of {@code bits}; returns the union of its bits. */
  private int await(long token, int bits) throws IOException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    int union = 0;
    while (System.nanoTime() - deadline < 0) {
      poll().poll(events, Duration.ofMillis(100));
      for (Event e : events) {
        if (e.token() == token) {
          union |= e.readyBits();
          if ((e.readyBits() & bits) == bits) {
            return union;
          }
        }
      }
    }
    fail("no event {" + token + ": " + Ops.toString(bits) + "}; saw " + Ops.toString(union));
    return union;
  }

  /** Polls for 100 ms and fails on any event. */
  private void quiet() throws IOException {
    long deadline = System.nanoTime() + 100_000_000L;
    while (System.nanoTime() - deadline < 0) {
      poll().poll(events, Duration.ofMillis(20));
      for (Event e : events) {
        fail("expected no event, got {" + e.token() + ": " + Ops.toString(e.readyBits()) + "}");
      }
    }
  }

  private static byte[] readExactly(Pipe p, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (b.hasRemaining()) {
      int r = p.reader().read(b);
      assertTrue(r >= 0, "end of stream after " + b.position() + " of " + n + " bytes");
      if (r == 0 && System.nanoTime() - deadline > 0) {
        fail(b.position() + " of " + n + " bytes within " + DEADLINE);
      }
    }
    return b.array();
  }

  @Test
  void endsAreSocketsNarrowedToTheirDirection() throws IOException {
    Pipe p = pipe();
    assertEquals(Ops.READABLE, p.reader().handle().directions());
    assertEquals(Ops.WRITABLE, p.writer().handle().directions());
    assertTrue(p.reader().toString().contains("pipe reader"), p.reader().toString());
    assertTrue(p.writer().toString().contains("pipe writer"), p.writer().toString());
    IllegalArgumentException wider =
        assertThrows(
            IllegalArgumentException.class,
            () -> p.reader().handle().narrowDirections(Ops.READABLE | Ops.WRITABLE));
    assertEquals(
        "directions must be a non-empty subset of READABLE: READABLE|WRITABLE",
        wider.getMessage());
    assertThrows(IllegalArgumentException.class, () -> p.writer().handle().narrowDirections(0));
  }

  @Test
  void dataArrivesInOrderAndAnEmptyReaderWouldBlock() throws IOException {
    Pipe p = pipe();
    ByteBuffer b = ByteBuffer.allocate(8);
    assertEquals(0, p.reader().read(b), "nothing written yet: would block");
    assertEquals(5, p.writer().write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5})));
    ByteBuffer direct = ByteBuffer.allocateDirect(2).put((byte) 6).put((byte) 7).flip();
    assertEquals(2, p.writer().write(direct));
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7}, readExactly(p, 7));
    assertEquals(0, p.reader().read(b.clear()), "drained: would block");
  }

  @Test
  @DisabledOnOs(value = OS.WINDOWS, disabledReason = NO_POLL_BACKEND)
  void edgeReadableComesBackAfterTheReaderDrainsToWouldBlock() throws IOException {
    Pipe p = pipe();
    poll().registry().register(p.reader(), 1, Interest.READABLE);
    quiet();
    for (int round = 0; round < 3; round++) {
      p.writer().write(ByteBuffer.wrap(new byte[] {(byte) round}));
      await(1, Ops.READABLE);
      assertEquals(round, readExactly(p, 1)[0]);
      assertEquals(0, p.reader().read(ByteBuffer.allocate(4)), "round " + round);
      quiet();
    }
  }

  @Test
  @DisabledOnOs(value = OS.WINDOWS, disabledReason = NO_POLL_BACKEND)
  void aFullWriterBecomesWritableAfterTheReaderDrains() throws IOException {
    Pipe p = pipe();
    poll().registry().register(p.writer(), 2, Interest.WRITABLE);
    await(2, Ops.WRITABLE);
    ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
    long written = 0;
    for (int n; (n = p.writer().write(chunk.clear())) > 0; ) {
      written += n;
      assertTrue(written < (1L << 30), "a loopback pair never filled");
    }
    assertTrue(written > 0, "an empty pair takes data");
    quiet(); // full, and the would-block re-armed writable: only the reader can make room
    long read = 0;
    ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (read < written) {
      assertTrue(System.nanoTime() - deadline < 0, read + " of " + written + " bytes read");
      read += p.reader().read(in.clear());
    }
    await(2, Ops.WRITABLE);
  }

  @Test
  @DisabledOnOs(value = OS.WINDOWS, disabledReason = NO_POLL_BACKEND)
  void directionsAnEndCannotHaveNeverFire() throws IOException {
    Pipe p = pipe();
    p.writer().write(ByteBuffer.wrap(new byte[] {9}));
    // The read end's socket is writable, the write end's is not readable yet: only the data
    // may be reported, and only to the reader's READABLE interest.
    poll().registry().register(p.reader(), 1, Interest.WRITABLE, Mode.LEVEL);
    poll().registry().register(p.writer(), 2, Interest.READABLE, Mode.LEVEL);
    quiet();
    poll().registry().reregister(p.reader(), 3, Interest.READABLE.add(Interest.WRITABLE));
    int bits = await(3, Ops.READABLE);
    assertEquals(0, bits & Ops.WRITABLE, "a read end reported writable: " + Ops.toString(bits));
    assertEquals(9, readExactly(p, 1)[0]);
  }

  @Test
  void closingTheWriterGivesTheReaderItsDataThenEndOfStream() throws IOException {
    Pipe p = pipe();
    p.writer().write(ByteBuffer.wrap(new byte[] {4, 2}));
    p.writer().close();
    assertFalse(p.writer().isOpen());
    assertArrayEquals(new byte[] {4, 2}, readExactly(p, 2));
    assertEquals(-1, p.reader().read(ByteBuffer.allocate(4)));
  }

  @Test
  void closingTheReaderMakesTheWriterFailWithTheReset() throws IOException {
    Pipe p = pipe();
    p.writer().write(ByteBuffer.wrap(new byte[] {1})); // unread when the reader closes
    p.reader().close();
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              long deadline = System.nanoTime() + DEADLINE.toNanos();
              while (System.nanoTime() - deadline < 0) {
                p.writer().write(ByteBuffer.allocate(16));
                Thread.sleep(1);
              }
            });
    // A reset where a pipe gives EPIPE; after the reset Linux goes on to EPIPE, and Winsock may
    // report its own abort of the connection.
    boolean reset = e instanceof SocketException && "Connection reset".equals(e.getMessage());
    String name = e instanceof NativeIOException ? ((NativeIOException) e).errnoName() : "";
    assertTrue(
        reset || name.equals("EPIPE") || name.equals("WSAECONNABORTED"),
        "write after the reader closed: " + e);
  }
}
