package dev.poll4j.it;

import static dev.poll4j.it.Expect.count;
import static dev.poll4j.it.Expect.readable;
import static dev.poll4j.it.Expect.writable;
import static dev.poll4j.it.Fixture.drain;
import static dev.poll4j.it.Fixture.fill;
import static dev.poll4j.it.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Mode;
import dev.poll4j.Pipe;
import dev.poll4j.Poll;
import dev.poll4j.RawFd;
import dev.poll4j.spi.Ops;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Registering, reregistering and deregistering: peers.md 1-5, 7-9, 16-18. */
interface RegistrationConformance extends Fixture {

  // 1
  @Test
  @Timeout(10)
  default void idlePipeEndsGiveNoEvent() throws Exception {
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE);
    Pipe full = pipe();
    fill(full);
    registry().register(full.writer(), 2, Interest.WRITABLE);
    expectNoEvents();
  }

  // 1
  @Test
  @Timeout(10)
  default void idleRawDescriptorGivesNoEventInAnyMode() throws Exception {
    assumeRawDescriptors();
    EventFd a = eventFd(0);
    EventFd b = eventFd(0);
    EventFd c = eventFd(0);
    registry().register(a.source(), 1, Interest.READABLE, Mode.EDGE);
    registry().register(b.source(), 2, Interest.READABLE, Mode.LEVEL);
    registry().register(c.source(), 3, Interest.READABLE, Mode.ONESHOT);
    expectNoEvents();
  }

  // 2
  @Test
  @Timeout(10)
  default void readableInterestNeverReportsWritable() throws Exception {
    assumeRawDescriptors();
    EventFd both = eventFd(1); // readable and writable at once
    registry().register(both.source(), 1, Interest.READABLE, Mode.LEVEL);
    Pipe p = pipe(); // an empty pipe's writer is writable, and never readable
    registry().register(p.writer(), 2, Interest.READABLE);
    int seen = 0;
    for (int i = 0; i < 5; i++) {
      for (Expect.Seen s : expectEvents(readable(1))) {
        assertEquals(1, s.token(), "the pipe writer is registered READABLE: " + s);
        assertFalse(s.has(Ops.WRITABLE), "READABLE registration reported " + s);
        seen++;
      }
    }
    assertTrue(seen >= 5);
  }

  // 2
  @Test
  @Timeout(10)
  default void writableInterestNeverReportsReadable() throws Exception {
    assumeRawDescriptors();
    EventFd both = eventFd(1);
    registry().register(both.source(), 1, Interest.WRITABLE, Mode.LEVEL);
    Pipe p = pipe(); // a reader with data is readable, and never writable
    write(p, 10);
    registry().register(p.reader(), 2, Interest.WRITABLE);
    for (int i = 0; i < 5; i++) {
      for (Expect.Seen s : expectEvents(writable(1))) {
        assertEquals(1, s.token(), "the pipe reader is registered WRITABLE: " + s);
        assertFalse(s.has(Ops.READABLE), "WRITABLE registration reported " + s);
      }
    }
  }

  // 2: pipes have no priority data, so PRIORITY interest alone never fires, and with READABLE it
  // adds nothing.
  @Test
  @Timeout(10)
  default void priorityInterestOnAPipeNeverReportsPriority() throws Exception {
    Pipe a = pipe();
    Pipe b = pipe();
    write(a, 1);
    write(b, 1);
    registry().register(a.reader(), 1, Interest.PRIORITY);
    registry().register(b.reader(), 2, Interest.READABLE.add(Interest.PRIORITY));
    for (Expect.Seen s : expectEvents(readable(2))) {
      assertEquals(2, s.token(), "PRIORITY-only registration of a pipe reported " + s);
      assertFalse(s.has(Ops.PRIORITY), "a pipe has no priority data: " + s);
    }
  }

  // 3
  @Test
  @Timeout(10)
  default void reregisterReplacesTokenAndInterest() throws Exception {
    assumeRawDescriptors();
    EventFd both = eventFd(1);
    registry().register(both.source(), 1, Interest.READABLE);
    expectEvents(readable(1));
    registry().reregister(both.source(), 2, Interest.WRITABLE);
    for (Expect.Seen s : expectEvents(writable(2))) {
      assertEquals(2, s.token(), "old token after reregister: " + s);
      assertFalse(s.has(Ops.READABLE), "READABLE was replaced by WRITABLE: " + s);
    }
    expectNoEvents(); // edge mode: the writable event was reported, nothing changed since
  }

  // 3: every reregister wins, in every mode, with no stale token ever.
  @Test
  @Timeout(20)
  default void repeatedReregistersAlwaysUseTheLatestTokenInterestAndMode() throws Exception {
    assumeRawDescriptors();
    EventFd both = eventFd(1);
    registry().register(both.source(), 100, Interest.READABLE);
    Mode[] modes = Mode.values();
    for (int i = 0; i < 30; i++) {
      long token = 101 + i;
      Interest interest = i % 2 == 0 ? Interest.WRITABLE : Interest.READABLE;
      Mode mode = modes[i % modes.length];
      registry().reregister(both.source(), token, interest, mode);
      int want = interest.bits();
      int unwanted = Ops.ALL_INTEREST & ~want;
      for (Expect.Seen s : expectEvents(Expect.event(token, want))) {
        assertEquals(token, s.token(), "round " + i + ": stale token in " + s);
        assertEquals(0, s.bits() & unwanted, "round " + i + ": " + interest + " reported " + s);
      }
    }
  }

  // 4
  @Test
  @Timeout(10)
  default void registerAfterDeregisterWorks() throws Exception {
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE);
    write(p, 1);
    expectEvents(readable(1));
    registry().deregister(p.reader());
    registry().register(p.reader(), 2, Interest.READABLE, Mode.LEVEL);
    List<Expect.Seen> seen = expectEvents(readable(2));
    assertEquals(0, count(seen, 1), "token of the ended registration: " + seen);
    drain(p);
    registry().deregister(p.reader());
    registry().register(p.reader(), 3, Interest.READABLE);
    write(p, 1);
    seen = expectEvents(readable(3));
    assertEquals(0, count(seen, 1) + count(seen, 2), "tokens of ended registrations: " + seen);
  }

  // 5
  @Test
  @Timeout(10)
  default void deregisteredSourceNeverReturnsItsToken() throws Exception {
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE, Mode.LEVEL);
    write(p, 8);
    expectEvents(readable(1));
    registry().deregister(p.reader()); // data still unread: a live registration would fire
    expectNoEvents();
    write(p, 8);
    expectNoEvents();
  }

  // 5: "I/O still works"
  @Test
  @Timeout(10)
  default void deregisteredSourceStillReadsAndWrites() throws Exception {
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE);
    registry().register(p.writer(), 2, Interest.WRITABLE);
    write(p, 5);
    expectEvents(readable(1), writable(2));
    registry().deregister(p.reader());
    registry().deregister(p.writer());
    write(p, 7);
    assertEquals(12, drain(p));
    expectNoEvents();
  }

  // 5, 8: a deregister on another thread, while polls go on, wins for every poll that starts
  // after it returned.
  @Test
  @Timeout(20)
  default void deregisterFromAnotherThreadStopsEventsOfLaterPolls() throws Exception {
    Poll poll = poll();
    for (int round = 0; round < 20; round++) {
      Pipe p = pipe();
      long token = 1 + round;
      registry().register(p.reader(), token, Interest.READABLE, Mode.LEVEL);
      write(p, 1); // level: every poll reports it until deregistered
      AtomicBoolean deregistered = new AtomicBoolean();
      Async<Void> other =
          async(
              "dereg",
              () -> {
                Fixture.sleep(2);
                registry().deregister(p.reader());
                deregistered.set(true);
                return null;
              });
      Events events = events();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      int quietPolls = 0;
      while (quietPolls < 5) {
        assertTrue(System.nanoTime() < deadline, "round " + round + ": deregister never done");
        boolean after = deregistered.get();
        poll.poll(events, Duration.ofMillis(10));
        for (Event e : events) {
          if (after && e.token() == token) {
            fail(
                "round " + round + ": token " + token + " from a poll that began after deregister");
          }
        }
        quietPolls += after ? 1 : 0;
      }
      other.get(Duration.ofSeconds(5));
    }
  }

  // 7
  @Test
  @Timeout(10)
  default void registerFromAnotherThreadTakesEffectInTheBlockedPoll() throws Exception {
    Pipe p = pipe();
    write(p, 1);
    Poll poll = poll();
    Events events = events();
    Async<List<Expect.Seen>> blocked =
        async("regpoll", () -> Expect.pollOnce(poll, events, Duration.ofSeconds(8)));
    ProcFs.awaitAsleep(blocked.thread());
    long start = System.nanoTime();
    registry().register(p.reader(), 7, Interest.READABLE);
    List<Expect.Seen> seen = blocked.get(Duration.ofSeconds(9));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(
        1, count(seen, 7), "the blocked poll returned " + seen + " after " + tookMs + " ms");
    assertTrue(tookMs < 4000, "the blocked poll took " + tookMs + " ms to see the registration");
  }

  // 7: reregister (here: WRITABLE on a reader, which never fires, to READABLE) while polling.
  @Test
  @Timeout(10)
  default void reregisterFromAnotherThreadTakesEffectInTheBlockedPoll() throws Exception {
    Pipe p = pipe();
    write(p, 1);
    registry().register(p.reader(), 1, Interest.WRITABLE);
    Poll poll = poll();
    Events events = events();
    Async<List<Expect.Seen>> blocked =
        async("repoll", () -> Expect.pollOnce(poll, events, Duration.ofSeconds(8)));
    ProcFs.awaitAsleep(blocked.thread());
    assertFalse(blocked.isDone(), "the poll returned before the reregister");
    registry().reregister(p.reader(), 2, Interest.READABLE);
    List<Expect.Seen> seen = blocked.get(Duration.ofSeconds(9));
    assertEquals(1, count(seen, 2), "the blocked poll returned " + seen);
  }

  // 8: many threads register, reregister and deregister at once while one thread polls.
  @Test
  @Timeout(30)
  default void registryIsSafeFromManyThreadsAtOnce() throws Exception {
    int threads = 4;
    int perThread = 40;
    CyclicBarrier start = new CyclicBarrier(threads);
    Set<Long> deregistered = ConcurrentHashMap.newKeySet();
    List<Async<Void>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long base = 1000L * (t + 1);
      List<Pipe> mine = new ArrayList<>();
      for (int i = 0; i < perThread; i++) {
        mine.add(pipe());
      }
      workers.add(
          async(
              "reg",
              () -> {
                start.await(5, TimeUnit.SECONDS);
                for (int i = 0; i < perThread; i++) {
                  Pipe p = mine.get(i);
                  // A reader is never writable: this registration must stay silent.
                  registry().register(p.reader(), base + i, Interest.WRITABLE, Mode.LEVEL);
                  write(p, 1);
                  if (i % 2 == 0) {
                    registry().reregister(p.reader(), base + 500 + i, Interest.READABLE, Mode.EDGE);
                  } else {
                    registry().deregister(p.reader());
                    deregistered.add(base + i);
                  }
                }
                return null;
              }));
    }
    Set<Long> want = new HashSet<>();
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i += 2) {
        want.add(1000L * (t + 1) + 500 + i);
      }
    }
    List<Expect.Seen> got = new ArrayList<>();
    Set<Long> gotTokens = new HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!gotTokens.containsAll(want) && System.nanoTime() < deadline) {
      for (Expect.Seen s : Expect.pollOnce(poll(), events(), Duration.ofMillis(100))) {
        assertTrue(want.contains(s.token()), "event for a silent or removed registration: " + s);
        assertTrue(s.has(Ops.READABLE), "reregistered READABLE, got " + s);
        got.add(s);
        gotTokens.add(s.token());
      }
    }
    for (var w : workers) {
      w.get(Duration.ofSeconds(10));
    }
    Set<Long> missing = new HashSet<>(want);
    missing.removeAll(gotTokens);
    assertTrue(missing.isEmpty(), "no event for tokens " + missing);
    assertEquals(threads * perThread / 2, deregistered.size());
    // Edge mode: each source was reported once, and nothing changed since.
    assertEquals(
        want.size(),
        got.size(),
        () -> "duplicate events in edge mode, first: " + got.subList(0, Math.min(got.size(), 20)));
    expectNoEvents();
  }

  // 17: one descriptor in two Polls (through two RawFd sources): edge mode notifies both. (Level
  // and oneshot may notify one or both: not asserted.)
  @Test
  @Timeout(10)
  default void oneDescriptorInTwoPollsNotifiesBothInEdgeMode() throws Exception {
    assumeRawDescriptors();
    Pipe p = pipe();
    Poll other = openPoll();
    RawFd here = RawFd.of(p.reader().fd());
    RawFd there = RawFd.of(p.reader().fd());
    registry().register(here, 1, Interest.READABLE);
    other.registry().register(there, 2, Interest.READABLE);
    write(p, 1);
    List<Expect.Seen> seen = expectEvents(readable(1));
    assertEquals(0, count(seen, 2), "the other Poll's token: " + seen);
    Expect.events(other, Events.withCapacity(4), readable(2));
    registry().deregister(here);
    other.registry().deregister(there);
  }

  // 18: with 100 registered sources, one becoming ready gives exactly one event, with its token.
  @Test
  @Timeout(20)
  default void oneOfAHundredSourcesBecomingReadableGivesExactlyItsEvent() throws Exception {
    List<Pipe> pipes = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Pipe p = pipe();
      registry().register(p.reader(), 1000 + i, Interest.READABLE);
      pipes.add(p);
    }
    long seed = System.nanoTime();
    java.util.Random random = new java.util.Random(seed);
    for (int round = 0; round < 25; round++) {
      int k = random.nextInt(pipes.size());
      write(pipes.get(k), 1);
      List<Expect.Seen> seen = expectEvents(readable(1000 + k));
      String where = "seed " + seed + ", round " + round + ", source " + k + ": ";
      assertEquals(1, seen.size(), where + seen);
      assertEquals(1, drain(pipes.get(k)), where + "the byte written");
      assertTrue(pollNow().isEmpty(), where + "an event after the drain");
    }
  }

  // 9
  @Test
  @Timeout(10)
  default void closedPipeEndGivesNoEventForItsToken() throws Exception {
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE, Mode.LEVEL);
    write(p, 1);
    expectEvents(readable(1));
    p.reader().close(); // data unread, level mode: the registration would fire forever
    Pipe q = pipe();
    registry().register(q.writer(), 2, Interest.WRITABLE, Mode.LEVEL);
    expectEvents(writable(2));
    q.writer().close();
    expectNoEvents();
    p.writer().close(); // the peer of a closed, once registered end: still nothing
    q.reader().close();
    expectNoEvents();
  }

  // 9: closing a source on another thread, while polls go on, wins for later polls.
  @Test
  @Timeout(20)
  default void closingASourceWhilePollingStopsItsEvents() throws Exception {
    Poll poll = poll();
    Events events = events();
    for (int round = 0; round < 20; round++) {
      Pipe p = pipe();
      long token = 1 + round;
      registry().register(p.reader(), token, Interest.READABLE, Mode.LEVEL);
      write(p, 1);
      AtomicBoolean closed = new AtomicBoolean();
      Async<Void> closer =
          async(
              "closer",
              () -> {
                Fixture.sleep(2);
                p.reader().close();
                closed.set(true);
                return null;
              });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      int quietPolls = 0;
      while (quietPolls < 5) {
        assertTrue(System.nanoTime() < deadline, "round " + round + ": close never done");
        boolean after = closed.get();
        poll.poll(events, Duration.ofMillis(10));
        for (Event e : events) {
          if (after && e.token() == token) {
            fail("round " + round + ": token " + token + " from a poll that began after close");
          }
        }
        quietPolls += after ? 1 : 0;
      }
      closer.get(Duration.ofSeconds(5));
    }
  }

  // 16: one source ready both ways may give one combined event or two; both directions arrive.
  @Test
  @Timeout(10)
  default void readableAndWritableArriveCombinedOrSeparately() throws Exception {
    assumeRawDescriptors();
    EventFd both = eventFd(1);
    registry().register(both.source(), 1, Interest.READABLE.add(Interest.WRITABLE));
    List<Expect.Seen> seen = expectEvents(readable(1), writable(1));
    assertTrue(count(seen, 1) <= 2, "one or two events for two directions, got " + seen);
    expectNoEvents();
  }
}
