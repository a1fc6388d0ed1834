package dev.poll4j.it;

import static dev.poll4j.it.Expect.readable;
import static dev.poll4j.it.Fixture.drain;
import static dev.poll4j.it.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Mode;
import dev.poll4j.Pipe;
import dev.poll4j.Poll;
import dev.poll4j.Waker;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interrupts, closing, one poller at a time, and descriptor leaks (peers.md 41). DESIGN.md:
 * "closing a Poll is idempotent, releases every descriptor and native buffer, and never frees
 * memory the kernel or another thread may still write".
 */
interface LifecycleConformance extends Fixture {

  // No peers.md number: the Capabilities of this suite match what the backend says of itself.
  @Test
  @Timeout(10)
  default void capabilitiesMatchWhatThePollReports() {
    assertEquals(caps().backend(), poll().backendName());
    assertEquals(caps().emulatesEdge(), poll().emulatesEdge(), "emulatesEdge");
    assertTrue(poll().isOpen());
    assertTrue(poll().toString().contains(caps().backend()), poll().toString());
  }

  // No peers.md number (DESIGN.md, like Selector.select): Thread.interrupt() of a thread
  // blocked in poll: prompt return, status kept (Selector.select).
  @Test
  @Timeout(10)
  default void interruptEndsABlockedPollAndKeepsTheInterruptStatus() throws Exception {
    Poll poll = poll();
    Events events = events();
    for (Duration timeout : new Duration[] {null, Duration.ofSeconds(8)}) {
      Async<Object[]> blocked =
          async(
              "intr",
              () -> {
                int n = poll.poll(events, timeout);
                return new Object[] {n, Thread.currentThread().isInterrupted()};
              });
      ProcFs.awaitAsleep(blocked.thread());
      assertFalse(blocked.isDone(), "returned before the interrupt");
      long start = System.nanoTime();
      blocked.thread().interrupt();
      Object[] r = blocked.get(Duration.ofSeconds(5));
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(0, r[0], timeout + ": events");
      assertEquals(true, r[1], timeout + ": the interrupt status was cleared");
      assertTrue(tookMs < 2000, timeout + ": took " + tookMs + " ms after the interrupt");
    }
    assertPollStillWorks();
  }

  // No peers.md number (DESIGN.md): a poll on an already interrupted thread returns at once,
  // status kept.
  @Test
  @Timeout(10)
  default void pollOnAnInterruptedThreadReturnsAtOnceAndKeepsTheStatus() throws Exception {
    Poll poll = poll();
    Events events = events();
    Async<long[]> task =
        async(
            "intr",
            () -> {
              long[] tookMs = new long[3];
              Duration[] timeouts = {null, Duration.ofSeconds(8), Duration.ZERO};
              for (int i = 0; i < timeouts.length; i++) {
                Thread.currentThread().interrupt();
                long start = System.nanoTime();
                assertEquals(0, poll.poll(events, timeouts[i]), timeouts[i] + ": events");
                tookMs[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(
                    Thread.currentThread().isInterrupted(), timeouts[i] + ": status cleared");
              }
              return tookMs;
            });
    long[] tookMs = task.get(Duration.ofSeconds(9));
    for (long t : tookMs) {
      assertTrue(t < 2000, "a poll on an interrupted thread took " + t + " ms");
    }
  }

  // No peers.md number (DESIGN.md): after the interrupt status is cleared, polls block
  // normally again (no stale wake-up).
  @Test
  @Timeout(10)
  default void pollAfterTheInterruptIsClearedWaitsNormally() throws Exception {
    Poll poll = poll();
    Events events = events();
    Async<long[]> task =
        async(
            "intr",
            () -> {
              Thread.currentThread().interrupt();
              poll.poll(events, null);
              assertTrue(Thread.interrupted());
              long[] out = new long[3];
              for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                out[i] =
                    poll.poll(events, Duration.ofMillis(100)) == 0 ? System.nanoTime() - start : -1;
              }
              return out;
            });
    for (long took : task.get(Duration.ofSeconds(8))) {
      assertTrue(
          took >= TimeUnit.MILLISECONDS.toNanos(100),
          "stale wake-up: returned after " + took + " ns (-1: with events)");
    }
  }

  // No peers.md number (DESIGN.md "Semantics contract"): closing a Poll is idempotent.
  @Test
  @Timeout(10)
  default void closeIsIdempotent() throws Exception {
    Poll poll = poll();
    poll.close();
    assertFalse(poll.isOpen());
    poll.close();
    poll.close();
    assertFalse(poll.isOpen());
  }

  // No peers.md number (DESIGN.md "Closing"): close() from another thread ends a blocked poll,
  // which returns normally.
  @Test
  @Timeout(10)
  default void closeEndsAPollBlockedOnAnotherThread() throws Exception {
    Poll poll = poll();
    Events events = events();
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE);
    Async<Integer> blocked = async("closed", () -> poll.poll(events, null));
    ProcFs.awaitAsleep(blocked.thread());
    assertFalse(blocked.isDone(), "returned before close");
    long start = System.nanoTime();
    Fixture.closeWithin(poll, Duration.ofSeconds(5));
    assertEquals(0, blocked.get(Duration.ofSeconds(5)), "events from a closed Poll");
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(tookMs < 2000, "close and the blocked poll took " + tookMs + " ms");
    assertFalse(poll.isOpen());
    write(p, 1); // the source outlives the Poll
    assertEquals(1, drain(p));
  }

  // No peers.md number (DESIGN.md: "no JVM crash, ever"): close racing a poll on another
  // thread: never a crash, a hang or an unexpected exception.
  @Test
  @Timeout(60)
  default void closeRacingPollNeverCrashesOrHangs() throws Exception {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 200; i++) {
      Poll poll = openPoll();
      Pipe p = pipe();
      boolean busy = i % 2 == 0;
      registerForRace(poll, p, busy);
      Waker waker = i % 3 == 0 ? Waker.create(poll.registry(), 99) : null;
      Async<Integer> poller =
          async(
              "race",
              () -> {
                Events events = Events.withCapacity(8);
                int polls = 0;
                try {
                  while (true) {
                    poll.poll(events, busy ? Duration.ofMillis(1) : null);
                    polls++;
                  }
                } catch (IllegalStateException expected) {
                  assertTrue(expected.getMessage().contains("closed"), expected.getMessage());
                }
                return polls;
              });
      LockSupport.parkNanos(random.nextLong(2_000_000));
      if (waker != null && random.nextBoolean()) {
        waker.wake();
      }
      Fixture.closeWithin(poll, Duration.ofSeconds(10));
      poller.get(Duration.ofSeconds(10));
      if (waker != null) {
        IllegalStateException e = assertThrows(IllegalStateException.class, waker::wake);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        waker.close();
      }
      p.close();
    }
    assertPollStillWorks();
  }

  private static void registerForRace(Poll poll, Pipe p, boolean busy) throws Exception {
    if (busy) {
      write(p, 1);
      poll.registry().register(p.reader(), 1, Interest.READABLE, Mode.LEVEL);
    } else {
      poll.registry().register(p.reader(), 1, Interest.READABLE);
    }
  }

  // 6 (misuse): polling a closed Poll fails with IllegalStateException, whatever the timeout.
  @Test
  @Timeout(10)
  default void pollAfterCloseThrowsIllegalStateException() throws Exception {
    Poll poll = poll();
    poll.close();
    for (Duration timeout : new Duration[] {null, Duration.ZERO, Duration.ofMillis(10)}) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> poll.poll(events(), timeout));
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
  }

  // Like polling's single waiter (peers.md §1, Thread safety): one thread polls at a time; a
  // second concurrent poll fails and leaves the first alone.
  @Test
  @Timeout(10)
  default void aSecondConcurrentPollThrowsIllegalStateException() throws Exception {
    Poll poll = poll();
    Events events = events();
    Waker waker = closeAfter(Waker.create(registry(), 99));
    Async<List<Expect.Seen>> first =
        async("first", () -> Expect.pollOnce(poll, events, Duration.ofSeconds(8)));
    ProcFs.awaitAsleep(first.thread());
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> poll.poll(Events.withCapacity(4), Duration.ofMillis(10)));
    assertTrue(e.getMessage().contains("already running"), e.getMessage());
    assertTrue(e.getMessage().contains(first.thread().getName()), e.getMessage());
    waker.wake();
    List<Expect.Seen> seen = first.get(Duration.ofSeconds(5));
    assertEquals(1, seen.size(), "the first poll sees the wake: " + seen);
    assertEquals(99, seen.get(0).token());
    assertPollStillWorks(); // and polling from this thread works again
  }

  // 4 (re-registering elsewhere), DESIGN.md "Closing": closing a Poll ends its registrations
  // but leaves the sources open; they can join another.
  @Test
  @Timeout(10)
  default void closingAPollLeavesItsSourcesOpenAndFreeToRegisterElsewhere() throws Exception {
    Pipe p = pipe();
    // A raw descriptor too, where they exist (not on Windows).
    EventFd fd = caps().rawDescriptors() ? eventFd(1) : null;
    registry().register(p.reader(), 1, Interest.READABLE);
    if (fd != null) {
      registry().register(fd.source(), 2, Interest.READABLE);
    }
    poll().close();
    assertTrue(p.reader().isOpen());
    write(p, 2);
    assertEquals(2, drain(p));
    Poll other = openPoll();
    other.registry().register(p.reader(), 3, Interest.READABLE);
    write(p, 1);
    if (fd == null) {
      Expect.events(other, Events.withCapacity(8), readable(3));
      return;
    }
    other.registry().register(fd.source(), 4, Interest.READABLE);
    Expect.events(other, Events.withCapacity(8), readable(3), readable(4));
  }

  // 41
  @Test
  @Timeout(60)
  default void openingAndClosing2000PollsLeaksNoDescriptors() throws Exception {
    assumeTrue(ProcFs.available(), "needs /proc/self/fd to count descriptors");
    Poll.open(caps().backend()).close(); // warm-up: classes and native libraries loaded
    TreeMap<Integer, String> before = ProcFs.openFds();
    for (int i = 0; i < 2000; i++) {
      Poll.open(caps().backend()).close();
    }
    ProcFs.assertSameDescriptors(before);
  }

  // 41: a Poll closed with registrations and a Waker in place releases everything too.
  @Test
  @Timeout(60)
  default void closingPollsWithRegistrationsAndWakersLeaksNoDescriptors() throws Exception {
    assumeTrue(ProcFs.available(), "needs /proc/self/fd to count descriptors");
    TreeMap<Integer, String> before = ProcFs.openFds();
    for (int i = 0; i < 300; i++) {
      Poll poll = Poll.open(caps().backend());
      try (Pipe p = Pipe.open()) {
        poll.registry().register(p.reader(), 1, Interest.READABLE);
        poll.registry().register(p.writer(), 2, Interest.WRITABLE, Mode.LEVEL);
        Waker waker = Waker.create(poll.registry(), 3);
        waker.wake();
        Expect.events(poll, Events.withCapacity(4), Expect.writable(2), readable(3));
        poll.close();
      }
    }
    ProcFs.assertSameDescriptors(before);
  }
}
