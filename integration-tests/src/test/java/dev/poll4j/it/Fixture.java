package dev.poll4j.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Pipe;
import dev.poll4j.Poll;
import dev.poll4j.Registry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

/**
 * What every conformance test gets: a fresh {@link Poll} on the backend under test, an {@link
 * Events} buffer, and sources and threads that are cleaned up after the test. Implemented once, by
 * {@link PollConformanceTest}; the topic interfaces ({@code *Conformance}) hold the tests.
 */
interface Fixture {
  /** The documented differences of the backend under test. */
  Capabilities caps();

  /** The {@code Poll} of this test, opened on the backend under test; closed after the test. */
  Poll poll();

  /** A buffer of capacity 64 for {@link #poll()}. */
  Events events();

  default Registry registry() {
    return poll().registry();
  }

  /** Another {@code Poll} on the backend under test, closed after the test. */
  Poll openPoll() throws IOException;

  /** A new pipe, closed after the test. */
  Pipe pipe() throws IOException;

  /** A new non-blocking eventfd with the given counter, closed after the test. */
  EventFd eventFd(int initial) throws IOException;

  /**
   * Skips the test where {@code RawFd} and the suite's {@link EventFd} do not exist (Windows).
   */
  default void assumeRawDescriptors() {
    assumeTrue(
        caps().rawDescriptors(),
        "needs a raw POSIX descriptor (RawFd, or an eventfd or Unix socket pair through it);"
            + " Windows has none, and the " + caps().backend() + " backend polls sockets");
  }

  /**
   * Runs {@code body} on a new thread with a unique name that starts with {@code what}; the thread
   * is interrupted and joined after the test if it still runs.
   */
  <T> Async<T> async(String what, Async.Body<T> body);

  /** Closes {@code resource} after the test (after the polls). */
  <T extends AutoCloseable> T closeAfter(T resource);

  /**
   * A directory of this test's own, short enough for Unix socket paths (108 bytes), deleted with
   * its contents after the test.
   */
  java.nio.file.Path tempDir() throws IOException;

  // ---- polling helpers --------------------------------------------------------------------

  default List<Expect.Seen> expectEvents(Expect.Expected... expected) throws IOException {
    return Expect.events(poll(), events(), expected);
  }

  default void expectNoEvents() throws IOException {
    Expect.noEvents(poll(), events());
  }

  default List<Expect.Seen> pollNow() throws IOException {
    return Expect.pollOnce(poll(), events(), Duration.ZERO);
  }

  /**
   * Checks the {@code Poll} still works after a failed call: a new pipe registers, reports its
   * data, and deregisters.
   */
  default void assertPollStillWorks() throws IOException {
    long token = 0x5EED;
    Pipe p = pipe();
    registry().register(p.reader(), token, Interest.READABLE);
    write(p, 1);
    expectEvents(Expect.readable(token));
    registry().deregister(p.reader());
    p.close();
  }

  /**
   * Closes {@code poll} on another thread and waits at most {@code max}: a close that waits for a
   * poll that never leaves must fail the test, not hang the build.
   */
  static void closeWithin(Poll poll, Duration max) throws Exception {
    Async<Void> closer =
        Async.start(
            "closer",
            () -> {
              poll.close();
              return null;
            });
    closer.get(max);
  }

  // ---- I/O helpers --------------------------------------------------------------------------

  /**
   * Whether pipes are loopback TCP pairs here (Windows, {@link Capabilities#socketPipes()}): then
   * bytes written may still be on their way through the TCP stack when a read or a write first
   * would block, so {@link #drain} and {@link #fill} look again after a pause before they call a
   * pipe empty or full.
   */
  boolean SOCKET_PIPES = System.getProperty("os.name", "").startsWith("Windows");

  /** How long {@link #drain} and {@link #fill} pause before they look again, on socket pipes. */
  long SETTLE_MILLIS = 20;

  /** Writes {@code n} bytes into the pipe; fails if they do not all fit. */
  static void write(Pipe p, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (p.writer().write(b) == 0) {
        fail("pipe full after " + b.position() + " of " + n + " bytes");
      }
    }
  }

  /** Reads at most {@code n} bytes; fails on end of stream. */
  static int read(Pipe p, int n) throws IOException {
    int r = p.reader().read(ByteBuffer.allocate(n));
    if (r < 0) {
      fail("unexpected end of stream");
    }
    return r;
  }

  /**
   * Reads until the read would block (returns 0); fails on end of stream. On socket pipes, a read
   * that would block is tried again after a pause, and only a second one in a row ends it.
   */
  static long drain(Pipe p) throws IOException {
    return untilWouldBlock(b -> p.reader().read(b));
  }

  /**
   * Writes until the write would block (returns 0): the pipe is then full. On socket pipes, a
   * write that would block is tried again after a pause (the stack may still be moving data into
   * the reader's buffer), and only a second one in a row ends it.
   */
  static long fill(Pipe p) throws IOException {
    return untilWouldBlock(b -> p.writer().write(b));
  }

  /** One read or write of a pipe end into or from a cleared 64 KiB buffer. */
  interface PipeStep {
    int transfer(ByteBuffer b) throws IOException;
  }

  // Repeats step until it moves nothing (twice in a row, a pause apart, on socket pipes); returns
  // the bytes moved. A read at end of stream (-1) fails the test.
  private static long untilWouldBlock(PipeStep step) throws IOException {
    ByteBuffer b = ByteBuffer.allocateDirect(64 * 1024);
    long total = 0;
    boolean settled = !SOCKET_PIPES;
    for (; ; ) {
      b.clear();
      int n = step.transfer(b);
      if (n < 0) {
        fail("unexpected end of stream after " + total + " bytes");
      }
      if (n == 0) {
        if (settled) {
          return total;
        }
        settled = true;
        sleep(SETTLE_MILLIS);
        continue;
      }
      settled = !SOCKET_PIPES;
      total += n;
    }
  }

  /** Sleeps; for tests that must let another thread get somewhere first. */
  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
