package dev.poll4j.it;

import static dev.poll4j.it.Expect.count;
import static dev.poll4j.it.Expect.writable;
import static dev.poll4j.it.Fixture.fill;
import static dev.poll4j.it.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.Interest;
import dev.poll4j.NativeIOException;
import dev.poll4j.Pipe;
import dev.poll4j.spi.Ops;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What closing one end of a pipe reports at the other end: peers.md 24 (and 20). On Windows the
 * pipe is a loopback TCP pair ({@link Capabilities#socketPipes()}).
 */
interface PipeCloseConformance extends Fixture {

  // 24
  @Test
  @Timeout(10)
  default void closingTheWriterGivesTheReaderExactlyOneReadClosedEvent() throws Exception {
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE);
    expectNoEvents(); // 20: nothing claims closed before the close
    p.writer().close();
    List<Expect.Seen> seen = expectEvents(Expect.event(1, Ops.READ_CLOSED));
    assertEquals(1, count(seen, 1), "exactly one event: " + seen);
    assertTrue(seen.get(0).has(Ops.READABLE), "end of stream is readable: " + seen);
    expectNoEvents();
    assertEquals(-1, p.reader().read(ByteBuffer.allocate(8)));
    expectNoEvents();
  }

  // 24: data written before the close is read first, then end of stream.
  @Test
  @Timeout(10)
  default void readerSeesPendingDataThenEndOfStream() throws Exception {
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE);
    write(p, 3);
    expectEvents(Expect.readable(1));
    p.writer().close();
    // Edge mode may or may not report the close of an already readable pipe (epoll does,
    // emulated edge waits for the drain); reading sees the data, then the end.
    ByteBuffer b = ByteBuffer.allocate(16);
    assertEquals(3, p.reader().read(b));
    assertEquals(-1, p.reader().read(b));
  }

  // 24
  @Test
  @Timeout(10)
  default void closingTheReaderGivesTheWriterExactlyOneWriteClosedEvent() throws Exception {
    Pipe p = pipe();
    registry().register(p.writer(), 1, Interest.WRITABLE);
    List<Expect.Seen> first = expectEvents(writable(1));
    assertFalse(first.get(0).has(Ops.WRITE_CLOSED), "20: not closed yet: " + first);
    fill(p); // to would-block, so every backend reports the next change
    expectNoEvents();
    p.reader().close();
    List<Expect.Seen> seen = expectEvents(Expect.event(1, Ops.WRITE_CLOSED));
    assertEquals(1, count(seen, 1), "exactly one event: " + seen);
    expectNoEvents();
    IOException e = assertThrows(IOException.class, () -> p.writer().write(ByteBuffer.allocate(1)));
    if (caps().socketPipes()) {
      // A loopback TCP pair: the closed read end reset the connection.
      SocketFixture.assertResetOrAborted(e);
    } else {
      NativeIOException n = assertInstanceOf(NativeIOException.class, e);
      assertEquals("EPIPE", n.errnoName(), e.getMessage());
    }
    expectNoEvents();
  }
}
