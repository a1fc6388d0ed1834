package dev.poll4j.it;

import static dev.poll4j.it.Expect.count;
import static dev.poll4j.it.Expect.readable;
import static dev.poll4j.it.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Pipe;
import dev.poll4j.Poll;
import dev.poll4j.Waker;
import dev.poll4j.spi.Ops;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Waker: peers.md 28-32, and one Waker per Poll. */
interface WakerConformance extends Fixture {
  long WAKE = 99;

  // 28
  @Test
  @Timeout(10)
  default void wakeFromAnotherThreadEndsABlockedPollWithTheWakerToken() throws Exception {
    Waker waker = closeAfter(Waker.create(registry(), WAKE));
    assertEquals(WAKE, waker.token());
    Async<Void> other =
        async(
            "waker",
            () -> {
              Fixture.sleep(50);
              waker.wake();
              return null;
            });
    long start = System.nanoTime();
    List<Expect.Seen> seen = Expect.pollOnce(poll(), events(), Duration.ofSeconds(8));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(1, seen.size(), "one event, the wake: " + seen);
    assertEquals(WAKE, seen.get(0).token());
    assertTrue(seen.get(0).has(Ops.READABLE), "a wake is readable: " + seen);
    assertTrue(tookMs < 4000, "the wake took " + tookMs + " ms");
    other.get(Duration.ofSeconds(5));
  }

  // 29: wakes before a poll coalesce into one event, and nothing repeats.
  @Test
  @Timeout(10)
  default void wakesBeforeAPollCoalesceIntoOneEvent() throws Exception {
    Waker waker = closeAfter(Waker.create(registry(), WAKE));
    for (int i = 0; i < 5; i++) {
      waker.wake();
    }
    List<Expect.Seen> seen = expectEvents(readable(WAKE));
    assertEquals(1, count(seen, WAKE), "five wakes before one poll: " + seen);
    expectNoEvents();
  }

  // 29, 31: a wake makes the next unbounded poll return at once, every time.
  @Test
  @Timeout(10)
  default void wakeBeforeAnUnboundedPollMakesItReturnAtOnce() throws Exception {
    Waker waker = closeAfter(Waker.create(registry(), WAKE));
    for (int i = 0; i < 10; i++) {
      waker.wake();
      List<Expect.Seen> seen = Expect.pollOnce(poll(), events(), null);
      assertEquals(1, seen.size(), "round " + i + ": " + seen);
      assertEquals(WAKE, seen.get(0).token(), "round " + i + ": " + seen);
    }
  }

  // 30: a wake after the last one was seen gives a new event; then no phantom event.
  @Test
  @Timeout(10)
  default void wakeAfterTheLastWasSeenGivesANewEventAndNoPhantom() throws Exception {
    Waker waker = closeAfter(Waker.create(registry(), WAKE));
    for (int round = 0; round < 5; round++) {
      Async<Void> other =
          async(
              "waker",
              () -> {
                waker.wake();
                return null;
              });
      other.get(Duration.ofSeconds(5));
      List<Expect.Seen> seen = expectEvents(readable(WAKE));
      assertEquals(1, count(seen, WAKE), "round " + round + ": " + seen);
      Expect.noEvents(poll(), events(), Duration.ofMillis(50));
    }
  }

  // 28, 30: ping-pong between a polling thread and waking threads; no wake is ever lost.
  @Test
  @Timeout(30)
  default void pingPongWakesAreNeverLost() throws Exception {
    Waker waker = closeAfter(Waker.create(registry(), WAKE));
    Poll poll = poll();
    Events events = events();
    int rounds = 500;
    AtomicInteger asked = new AtomicInteger();
    Async<Void> waking =
        async(
            "pinger",
            () -> {
              for (int round = 1; round <= rounds; round++) {
                while (asked.get() < round) {
                  Thread.onSpinWait();
                }
                waker.wake();
              }
              return null;
            });
    for (int round = 1; round <= rounds; round++) {
      asked.set(round);
      long start = System.nanoTime();
      int wakes = 0;
      while (wakes == 0) {
        assertTrue(
            System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5),
            "round " + round + ": the wake was lost");
        poll.poll(events, Duration.ofSeconds(1));
        for (Event e : events) {
          assertEquals(WAKE, e.token(), "round " + round);
          wakes++;
        }
      }
      assertEquals(1, wakes, "round " + round + ": one wake, one event");
    }
    waking.get(Duration.ofSeconds(5));
    Expect.noEvents(poll, events, Duration.ofMillis(50));
  }

  // 32
  @Test
  @Timeout(10)
  default void wakerWorksAfterAnotherSourceIsDeregistered() throws Exception {
    Waker waker = closeAfter(Waker.create(registry(), WAKE));
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE);
    write(p, 1);
    waker.wake();
    expectEvents(readable(1), readable(WAKE));
    registry().deregister(p.reader());
    write(p, 1);
    waker.wake();
    List<Expect.Seen> seen = expectEvents(readable(WAKE));
    assertEquals(0, count(seen, 1), "deregistered token: " + seen);
    expectNoEvents();
  }

  // 28: wakes and source events are reported side by side.
  @Test
  @Timeout(10)
  default void wakeAndSourceEventsArriveTogether() throws Exception {
    Waker waker = closeAfter(Waker.create(registry(), WAKE));
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE);
    write(p, 1);
    waker.wake();
    List<Expect.Seen> seen = Expect.pollOnce(poll(), events(), Duration.ofSeconds(5));
    if (seen.size() < 2) { // allowed: they come in two polls
      seen = new java.util.ArrayList<>(seen);
      seen.addAll(Expect.pollOnce(poll(), events(), Duration.ofSeconds(5)));
    }
    assertEquals(1, count(seen, 1), "pipe: " + seen);
    assertEquals(1, count(seen, WAKE), "waker: " + seen);
  }

  // One Waker per Poll (peers.md §1 Waker; mio #1283).
  @Test
  @Timeout(10)
  default void aSecondWakerIsRefusedUntilTheFirstIsClosed() throws Exception {
    Waker first = Waker.create(registry(), WAKE);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Waker.create(registry(), WAKE + 1));
    assertTrue(e.getMessage().contains("already has a Waker"), e.getMessage());
    first.wake(); // the first still works
    expectEvents(readable(WAKE));
    first.close();
    first.close(); // idempotent
    IllegalStateException closed = assertThrows(IllegalStateException.class, first::wake);
    assertTrue(closed.getMessage().contains("Waker is closed"), closed.getMessage());
    Waker second = closeAfter(Waker.create(registry(), WAKE + 1));
    second.wake();
    List<Expect.Seen> seen = expectEvents(readable(WAKE + 1));
    assertEquals(0, count(seen, WAKE), "closed waker's token: " + seen);
    assertPollStillWorks();
  }

  // 30 (no phantom event): a Waker's pending wake is dropped with it: no event for a closed
  // waker's token.
  @Test
  @Timeout(10)
  default void closingAWakerDropsItsPendingWake() throws Exception {
    Waker waker = Waker.create(registry(), WAKE);
    waker.wake();
    waker.close();
    expectNoEvents();
  }

  // 28: wakers belong to their Poll: other Polls' wakers do not wake this one.
  @Test
  @Timeout(10)
  default void wakersOfTwoPollsAreIndependent() throws Exception {
    Poll other = openPoll();
    Waker mine = closeAfter(Waker.create(registry(), WAKE));
    Waker theirs = closeAfter(Waker.create(other.registry(), WAKE + 1));
    theirs.wake();
    expectNoEvents();
    List<Expect.Seen> seen = Expect.events(other, Events.withCapacity(4), readable(WAKE + 1));
    assertEquals(1, seen.size(), seen.toString());
    mine.wake();
    assertEquals(WAKE, expectEvents(readable(WAKE)).get(0).token());
  }
}
