package dev.poll4j.epoll;

import static dev.poll4j.epoll.Fixtures.oneByte;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Mode;
import dev.poll4j.Pipe;
import dev.poll4j.Poll;
import dev.poll4j.Waker;
import dev.poll4j.spi.EventBuffer;
import dev.poll4j.spi.Ops;
import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Selecting allocates nothing in steady state: events, wake-ups and timed waits included.
 *
 * <p>Each round runs the same loop method (so warm-up compiles exactly what is measured), and the
 * best of several rounds is checked: an allocation per call shows in every round, while one-off
 * allocations of the JVM itself (compilation, deoptimisation) are not the selector's.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "epoll exists on Linux only")
class EpollAllocationTest {
  private static final int ROUNDS = 8;
  private static final int CALLS = 20_000;
  // A constant few bytes come from the measurement itself (boxing the reflective result).
  private static final long TOLERANCE = 256;

  private static Object threadBean;
  private static Method allocatedBytes;

  @BeforeAll
  static void findAllocationCounter() {
    // Reflection, because this module does not read jdk.management (core reflection needs no
    // readability); absent on JVMs without com.sun.management.
    try {
      threadBean =
          Class.forName("java.lang.management.ManagementFactory")
              .getMethod("getThreadMXBean")
              .invoke(null);
      Class<?> sunBean = Class.forName("com.sun.management.ThreadMXBean");
      allocatedBytes = sunBean.isInstance(threadBean)
          ? sunBean.getMethod("getCurrentThreadAllocatedBytes")
          : null;
    } catch (ReflectiveOperationException | LinkageError e) {
      allocatedBytes = null;
    }
  }

  private static long allocated() throws Exception {
    return (Long) allocatedBytes.invoke(threadBean);
  }

  /** A loop to measure; returns how many calls did not give the expected event count. */
  @FunctionalInterface
  interface Loop {
    int run() throws IOException;
  }

  private static long bestRound(Loop loop) throws Exception {
    long best = Long.MAX_VALUE;
    for (int round = 0; round < ROUNDS; round++) {
      long before = allocated();
      int misses = loop.run();
      long used = allocated() - before;
      assertEquals(0, misses, "calls without the expected events");
      best = Math.min(best, used);
    }
    return best;
  }

  private static int selectLoop(EpollSelector s, EventBuffer buf) throws IOException {
    int misses = 0;
    for (int i = 0; i < CALLS; i++) {
      // Alternate non-blocking and timed waits (epoll_pwait2 with its timespec, where present).
      if (s.select(buf, (i & 1) == 0 ? 0 : 1_000_000) != 1) {
        misses++;
      }
    }
    return misses;
  }

  private static int pollLoop(Poll poll, Waker waker, Events events, Duration timeout)
      throws IOException {
    int misses = 0;
    for (int i = 0; i < CALLS; i++) {
      waker.wake();
      if (poll.poll(events, timeout) != 2) {
        misses++;
      }
    }
    return misses;
  }

  @Test
  void selectorSelectAllocatesNothingPerCall() throws Exception {
    assumeTrue(allocatedBytes != null, "this JVM has no per-thread allocation counter");
    EpollSelector s = new EpollSelector(true);
    try (Pipe pipe = Pipe.open()) {
      pipe.reader().handle().register(s, 1, Ops.READABLE, Mode.LEVEL);
      pipe.writer().write(oneByte());
      EventBuffer buf = new EventBuffer(64);
      long best = bestRound(() -> selectLoop(s, buf));
      assertTrue(best < TOLERANCE, best + " bytes allocated by " + CALLS + " selects");
    } finally {
      s.close();
    }
  }

  @Test
  void pollWithWakerAllocatesNothingPerCall() throws Exception {
    assumeTrue(allocatedBytes != null, "this JVM has no per-thread allocation counter");
    try (Poll poll = Poll.open("epoll");
        Pipe pipe = Pipe.open();
        Waker waker = Waker.create(poll.registry(), 2)) {
      poll.registry().register(pipe.reader(), 1, Interest.READABLE, Mode.LEVEL);
      pipe.writer().write(oneByte());
      Events events = Events.withCapacity(64);
      Duration timeout = Duration.ofMillis(5);
      long best = bestRound(() -> pollLoop(poll, waker, events, timeout));
      assertTrue(best < TOLERANCE, best + " bytes allocated by " + CALLS + " polls");
    }
  }
}
