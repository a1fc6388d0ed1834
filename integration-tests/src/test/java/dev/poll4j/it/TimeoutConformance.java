package dev.poll4j.it;

import static dev.poll4j.it.Expect.count;
import static dev.poll4j.it.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Pipe;
import dev.poll4j.Poll;
import dev.poll4j.Waker;
import dev.poll4j.it.sys.Libc;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Timeouts: peers.md 33-37. */
interface TimeoutConformance extends Fixture {

  // 33
  @Test
  @Timeout(10)
  default void emptyPollWaitsForItsTimeoutAndReturnsNoEvents() throws Exception {
    long start = System.nanoTime();
    int n = poll().poll(events(), Duration.ofMillis(100));
    long took = System.nanoTime() - start;
    assertEquals(0, n);
    assertTrue(events().isEmpty());
    assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(100), "returned early: " + took + " ns");
    assertTrue(took < TimeUnit.SECONDS.toNanos(3), "took " + took + " ns");
  }

  // 34
  @Test
  @Timeout(10)
  default void zeroTimeoutReportsReadyEvents() throws Exception {
    Pipe p = pipe();
    write(p, 1);
    registry().register(p.reader(), 1, Interest.READABLE);
    List<Expect.Seen> seen = pollNow(); // the very first poll, and it must not block
    assertEquals(1, count(seen, 1), "first zero-timeout poll: " + seen);
  }

  // 34
  @Test
  @Timeout(10)
  default void zeroTimeoutWithNothingReadyReturnsAtOnce() throws Exception {
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE);
    long start = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      assertEquals(0, poll().poll(events(), Duration.ZERO), "poll " + i);
    }
    long took = System.nanoTime() - start;
    assertTrue(took < TimeUnit.SECONDS.toNanos(2), "100 zero-timeout polls took " + took + " ns");
  }

  // 35, 36: sub-millisecond timeouts are neither rounded down to an early return nor to a
  // zero-timeout busy loop: every wait sleeps in the kernel.
  @Test
  @Timeout(20)
  default void subMillisecondTimeoutsNeverReturnEarlyAndSleep() throws Exception {
    Duration timeout = Duration.ofNanos(100_000);
    long[] took = timedPolls(poll(), events(), timeout, 10); // warm-up
    long switchesBefore = ProcFs.voluntarySwitches();
    took = timedPolls(poll(), events(), timeout, 100);
    long switches = ProcFs.voluntarySwitches() - switchesBefore;
    assertNeverEarly(took, timeout);
    if (switchesBefore >= 0) {
      // Each wait that really sleeps gives up the CPU at least once; a busy loop of
      // zero-timeout kernel calls gives it up (almost) never.
      assertTrue(switches >= 50, "100 waits of 100 us slept only " + switches + " times");
    }
  }

  // 35
  @Test
  @Timeout(20)
  default void fewMillisecondTimeoutsNeverReturnEarly() throws Exception {
    Duration timeout = Duration.ofNanos(3_100_000);
    assertNeverEarly(timedPolls(poll(), events(), timeout, 30), timeout);
  }

  // 35
  @Test
  @Timeout(20)
  default void oneSecondTimeoutsNeverReturnEarly() throws Exception {
    Duration timeout = Duration.ofSeconds(1);
    long[] took = timedPolls(poll(), events(), timeout, 2);
    assertNeverEarly(took, timeout);
    for (long t : took) {
      assertTrue(t < TimeUnit.SECONDS.toNanos(3), "a 1 s wait took " + t + " ns");
    }
  }

  // 36: huge timeouts (past int milliseconds, past long nanoseconds) wait until woken; they
  // neither overflow into an immediate return nor fail.
  @Test
  @Timeout(20)
  default void hugeTimeoutsWaitUntilWoken() throws Exception {
    Waker waker = closeAfter(Waker.create(registry(), 99));
    Duration[] huge = {
      Duration.ofMillis(Integer.MAX_VALUE + 1L),
      Duration.ofDays(30),
      Duration.ofNanos(Long.MAX_VALUE),
      Duration.ofSeconds(Long.MAX_VALUE / 1000),
      Duration.ofSeconds(Long.MAX_VALUE, 999_999_999),
    };
    Poll poll = poll();
    Events events = events();
    for (Duration timeout : huge) {
      Async<List<Expect.Seen>> waiting =
          async("huge", () -> Expect.pollOnce(poll, events, timeout));
      ProcFs.awaitAsleep(waiting.thread());
      assertFalse(waiting.isDone(), () -> timeout + ": returned at once");
      waker.wake();
      List<Expect.Seen> seen = waiting.get(Duration.ofSeconds(5));
      assertEquals(1, seen.size(), timeout + ": " + seen);
      assertEquals(99, seen.get(0).token(), timeout + ": " + seen);
    }
  }

  // 37: a signal interrupting the kernel wait (EINTR) is retried with the remaining time: no
  // early return, no error, no restart of the whole timeout; an unbounded wait stays blocked.
  @Test
  @Timeout(20)
  default void signalsDuringAWaitAreRetriedWithTheRemainingTime() throws Exception {
    assumeTrue(
        System.getProperty("os.name").startsWith("Linux"),
        "thread-directed signals are sent with Linux's pthread_kill numbering (SIGWINCH 28)");
    AtomicInteger handled = new AtomicInteger();
    Object previous = Signals.handleWinch(handled);
    try {
      Poll poll = poll();
      Events events = events();
      AtomicLong pthread = new AtomicLong();
      long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(500);
      Async<long[]> bounded =
          async(
              "eintr",
              () -> {
                pthread.set(Libc.pthread_self());
                long start = System.nanoTime();
                int n = poll.poll(events, Duration.ofNanos(timeoutNanos));
                return new long[] {n, System.nanoTime() - start};
              });
      ProcFs.awaitAsleep(bounded.thread());
      // Signals over most of the wait: restarting the full timeout on each would take 850+ ms.
      int sent = 0;
      while (!bounded.isDone() && sent < 14) {
        assertEquals(0, Libc.pthread_kill(pthread.get(), Libc.SIGWINCH), "pthread_kill");
        sent++;
        Fixture.sleep(25);
      }
      long[] result = bounded.get(Duration.ofSeconds(5));
      assertTrue(sent >= 5, "the poll ended after only " + sent + " signals");
      waitFor(() -> handled.get() > 0, "no SIGWINCH was handled");
      assertEquals(0, result[0], "events after signals");
      assertTrue(result[1] >= timeoutNanos, "returned early after signals: " + result[1] + " ns");
      assertTrue(
          result[1] < timeoutNanos + TimeUnit.MILLISECONDS.toNanos(400),
          "a 500 ms wait took " + result[1] + " ns: EINTR restarted the whole timeout?");

      Waker waker = closeAfter(Waker.create(registry(), 99));
      AtomicLong wokeAt = new AtomicLong(Long.MAX_VALUE);
      Async<List<Expect.Seen>> unbounded =
          async(
              "eintr",
              () -> {
                pthread.set(Libc.pthread_self());
                List<Expect.Seen> seen = Expect.pollOnce(poll, events, null);
                assertTrue(System.nanoTime() >= wokeAt.get(), "returned before the wake: " + seen);
                return seen;
              });
      ProcFs.awaitAsleep(unbounded.thread());
      for (int i = 0; i < 5; i++) {
        assertEquals(0, Libc.pthread_kill(pthread.get(), Libc.SIGWINCH), "pthread_kill");
        Fixture.sleep(20);
      }
      wokeAt.set(System.nanoTime());
      waker.wake();
      List<Expect.Seen> seen = unbounded.get(Duration.ofSeconds(5));
      assertEquals(1, seen.size(), seen.toString());
      assertEquals(99, seen.get(0).token(), seen.toString());
    } finally {
      Signals.restoreWinch(previous);
    }
  }

  private static long[] timedPolls(Poll poll, Events events, Duration timeout, int count)
      throws Exception {
    long[] took = new long[count];
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      int n = poll.poll(events, timeout);
      took[i] = System.nanoTime() - start;
      assertEquals(0, n, "nothing is registered");
    }
    return took;
  }

  private static void assertNeverEarly(long[] took, Duration timeout) {
    long min = Long.MAX_VALUE;
    for (long t : took) {
      min = Math.min(min, t);
    }
    assertTrue(
        min >= timeout.toNanos(),
        "a " + timeout.toNanos() + " ns wait returned after " + min + " ns");
  }

  private static void waitFor(java.util.function.BooleanSupplier done, String message) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, message);
      Fixture.sleep(5);
    }
  }

  /**
   * Installs a Java handler for SIGWINCH through {@code sun.misc.Signal} (module jdk.unsupported),
   * by reflection to keep the build free of internal-API warnings. The handler only counts; what
   * matters is that a handled signal interrupts the kernel wait.
   */
  final class Signals {
    private Signals() {}

    static Object handleWinch(AtomicInteger counter) throws Exception {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object winch = signal.getConstructor(String.class).newInstance("WINCH");
      Object counting =
          Proxy.newProxyInstance(
              handler.getClassLoader(),
              new Class<?>[] {handler},
              (proxy, method, args) -> {
                switch (method.getName()) {
                  case "handle":
                    counter.incrementAndGet();
                    return null;
                  case "hashCode":
                    return System.identityHashCode(proxy);
                  case "equals":
                    return proxy == args[0];
                  default:
                    return "counting SIGWINCH handler";
                }
              });
      return signal.getMethod("handle", signal, handler).invoke(null, winch, counting);
    }

    static void restoreWinch(Object previous) throws Exception {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object winch = signal.getConstructor(String.class).newInstance("WINCH");
      signal.getMethod("handle", signal, handler).invoke(null, winch, previous);
    }
  }
}
