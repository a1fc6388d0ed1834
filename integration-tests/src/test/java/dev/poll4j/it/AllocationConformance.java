package dev.poll4j.it;

import static dev.poll4j.it.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Mode;
import dev.poll4j.Pipe;
import dev.poll4j.Poll;
import dev.poll4j.Waker;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DESIGN.md "Zero allocation per poll and per event in steady state", measured with the JVM's
 * per-thread allocation counter, which is exact: it counts every byte the thread allocates, in and
 * outside TLABs. Each measured poll returns an event, so the event path is measured, not only the
 * empty one.
 *
 * <p>Steady state: warm-up runs rounds of 10,000 polls, at least 15 of them and until two rounds in
 * a row allocate nothing; at most 40 rounds, so an allocation per poll, or one every few thousand
 * polls, fails. (Outside the suite, a loop of rounds shows a few dozen to a few hundred bytes in
 * some of the first 8 rounds, while the JIT moves the path through its tiers and the interpreter
 * resolves what compiled code skipped, then 0 for as long as it runs.) Then windows of 10,000 polls
 * are measured, and one must allocate exactly 0 bytes. A window during which the JVM loaded a class
 * (ClassLoadingMXBean's total count moved) is not steady state and is measured again, at most 10
 * times: class loading happens once per class and JVM, yet it can fall late into the loop when the
 * JIT deoptimizes into a path whose classes the interpreter has not resolved yet (JFR showed {@code
 * ScopedMemoryAccess$Scope} loaded from {@code DirectByteBuffer.putLong} inside a measured epoll
 * window, about 1.6 KB of class-loader garbage). Any allocation in a window without class loading
 * fails the test. The measured loops reference no class the warm-up did not use.
 */
interface AllocationConformance extends Fixture {
  int ROUND = 10_000;
  int MIN_WARM_UP_ROUNDS = 15;
  int MAX_WARM_UP_ROUNDS = 40;

  // Level-triggered pipe with unread data: every poll returns its event. Zero and non-zero
  // timeouts take different paths (the interrupt hook is only installed for blocking polls).
  @Test
  @Timeout(60)
  default void steadyStatePollingWithEventsAllocatesNothing() throws Exception {
    Pipe p = pipe();
    write(p, 1);
    registry().register(p.reader(), 7, Interest.READABLE, Mode.LEVEL);
    assertNoAllocation(poll(), null, "polls with events");
  }

  // The Waker path: wake, then a poll that returns the wake's event.
  @Test
  @Timeout(60)
  default void steadyStateWakingAndPollingAllocatesNothing() throws Exception {
    Waker waker = closeAfter(Waker.create(registry(), 9));
    assertNoAllocation(poll(), waker, "wakes and polls");
  }

  private void assertNoAllocation(Poll poll, Waker waker, String what) throws Exception {
    Allocations counter = Allocations.onThisThread();
    Events events = Events.withCapacity(16);
    Duration timeout = Duration.ofSeconds(5);
    List<Long> warmUp = new ArrayList<>();
    int quietRounds = 0;
    while ((quietRounds < 2 || warmUp.size() < MIN_WARM_UP_ROUNDS)
        && warmUp.size() < MAX_WARM_UP_ROUNDS) {
      long calibration = counter.calibration();
      long before = counter.bytes();
      long good = loop(poll, events, timeout, waker);
      long allocated = counter.bytes() - before - calibration;
      assertEquals(ROUND, good, "every warm-up poll returns exactly the expected event");
      warmUp.add(allocated);
      quietRounds = allocated == 0 ? quietRounds + 1 : 0;
    }
    assertTrue(
        quietRounds >= 2,
        () ->
            what
                + " on "
                + caps().backend()
                + " never stopped allocating; bytes per round of "
                + ROUND
                + ": "
                + warmUp);
    List<String> skipped = new ArrayList<>();
    for (int window = 0; window < 10; window++) {
      long classes = counter.loadedClasses();
      long calibration = counter.calibration();
      long before = counter.bytes();
      long good = loop(poll, events, timeout, waker);
      long allocated = counter.bytes() - before - calibration;
      long loaded = counter.loadedClasses() - classes;
      assertEquals(ROUND, good, "every measured poll returns exactly the expected event");
      if (loaded == 0) {
        assertEquals(
            0,
            allocated,
            () ->
                allocated
                    + " bytes allocated by "
                    + ROUND
                    + " "
                    + what
                    + " on "
                    + caps().backend()
                    + " (no class loaded meanwhile); warm-up rounds "
                    + warmUp
                    + ", windows skipped for class loading "
                    + skipped);
        return;
      }
      skipped.add(allocated + " bytes with " + loaded + " classes loaded");
    }
    throw new AssertionError("every measured window of " + what + " loaded classes: " + skipped);
  }

  private static long loop(Poll poll, Events events, Duration timeout, Waker waker)
      throws Exception {
    return waker == null ? pollLoop(poll, events, timeout) : wakeLoop(poll, events, timeout, waker);
  }

  /**
   * {@link #ROUND} polls, alternating a zero and a blocking timeout, reading every event both
   * through index access and through the reused iterator.
   *
   * @return the number of polls that returned exactly one event with token 7
   */
  private static long pollLoop(Poll poll, Events events, Duration timeout) throws Exception {
    long good = 0;
    for (int i = 0; i < ROUND; i++) {
      int n = poll.poll(events, (i & 1) == 0 ? Duration.ZERO : timeout);
      good += checkOne(events, n, 7);
    }
    return good;
  }

  /**
   * {@link #ROUND} times a wake and then a poll, alternating a zero and a blocking timeout.
   *
   * @return the number of polls that returned exactly the wake's event
   */
  private static long wakeLoop(Poll poll, Events events, Duration timeout, Waker waker)
      throws Exception {
    long token = waker.token();
    long good = 0;
    for (int i = 0; i < ROUND; i++) {
      waker.wake();
      int n = poll.poll(events, (i & 1) == 0 ? Duration.ZERO : timeout);
      good += checkOne(events, n, token);
    }
    return good;
  }

  /** 1 if the poll returned exactly one readable event with {@code token}, read both ways. */
  private static int checkOne(Events events, int n, long token) {
    long sum = 0;
    for (int k = 0; k < n; k++) {
      sum += events.get(k).token();
    }
    for (Event e : events) {
      sum += e.isReadable() ? e.token() : -1;
    }
    return n == 1 && sum == 2 * token ? 1 : 0;
  }

  /** The current thread's allocation counter. */
  final class Allocations {
    private final com.sun.management.ThreadMXBean mx;

    private Allocations(com.sun.management.ThreadMXBean mx) {
      this.mx = mx;
    }

    static Allocations onThisThread() {
      java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
      assumeTrue(
          bean instanceof com.sun.management.ThreadMXBean,
          "this JVM has no com.sun.management.ThreadMXBean");
      com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
      assumeTrue(mx.isThreadAllocatedMemorySupported(), "no per-thread allocation counter");
      mx.setThreadAllocatedMemoryEnabled(true);
      return new Allocations(mx);
    }

    long bytes() {
      return mx.getCurrentThreadAllocatedBytes();
    }

    /** Classes loaded by the JVM so far (by any thread). */
    long loadedClasses() {
      return ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
    }

    /**
     * What reading the counter itself allocates, measured as two back-to-back reads (the most of
     * three tries, in practice 0): subtracted so that only the polls are counted.
     */
    long calibration() {
      long most = 0;
      for (int i = 0; i < 3; i++) {
        long a = bytes();
        long b = bytes();
        most = Math.max(most, b - a);
      }
      return most;
    }
  }
}
