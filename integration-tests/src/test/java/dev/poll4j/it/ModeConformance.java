package dev.poll4j.it;

import static dev.poll4j.it.Expect.count;
import static dev.poll4j.it.Expect.readable;
import static dev.poll4j.it.Expect.writable;
import static dev.poll4j.it.Fixture.drain;
import static dev.poll4j.it.Fixture.fill;
import static dev.poll4j.it.Fixture.read;
import static dev.poll4j.it.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.poll4j.Interest;
import dev.poll4j.Mode;
import dev.poll4j.Pipe;
import dev.poll4j.RawFd;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Edge, level and oneshot registrations, and the drain rule: peers.md 10-14. */
interface ModeConformance extends Fixture {

  // 10
  @Test
  @Timeout(10)
  default void edgePartialReadGivesNoNewEventWithoutNewData() throws Exception {
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE, Mode.EDGE);
    write(p, 10);
    expectEvents(readable(1));
    assertEquals(1, read(p, 1));
    assertTrue(pollNow().isEmpty(), "edge mode reported again after a partial read");
    expectNoEvents();
  }

  // 10: native edge mode reports new data even when the earlier data was not drained.
  @Test
  @Timeout(10)
  default void edgeNewDataAfterPartialReadGivesOneNewEventWhereEdgeIsNative() throws Exception {
    assumeFalse(
        caps().emulatesEdge(),
        "emulated edge mode re-arms only on would-block: see"
            + " emulatedEdgeGivesNoEventForNewDataUntilDrainedToWouldBlock");
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE, Mode.EDGE);
    write(p, 10);
    expectEvents(readable(1));
    assertEquals(1, read(p, 1));
    expectNoEvents();
    write(p, 10);
    List<Expect.Seen> seen = expectEvents(readable(1));
    assertEquals(1, count(seen, 1), "one write, one event: " + seen);
    expectNoEvents();
  }

  // 14 (the emulated side of 10): without draining to would-block, new data gives no event.
  @Test
  @Timeout(10)
  default void emulatedEdgeGivesNoEventForNewDataUntilDrainedToWouldBlock() throws Exception {
    assumeTrue(caps().emulatesEdge(), "native edge mode reports new data without a drain");
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE, Mode.EDGE);
    write(p, 10);
    expectEvents(readable(1));
    assertEquals(1, read(p, 1));
    write(p, 10);
    expectNoEvents();
    assertEquals(19, drain(p)); // ends with a read that would block: re-armed
    expectNoEvents();
    write(p, 1);
    expectEvents(readable(1));
  }

  // 14: drain to would-block, then new data gives a new event, every time.
  @Test
  @Timeout(10)
  default void drainToWouldBlockThenNewDataGivesANewEvent() throws Exception {
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE);
    for (int round = 0; round < 5; round++) {
      write(p, 100 + round);
      List<Expect.Seen> seen = expectEvents(readable(1));
      assertEquals(1, count(seen, 1), "round " + round + ": " + seen);
      assertEquals(100 + round, drain(p));
      expectNoEvents();
    }
  }

  // 14: writable readiness comes back after a write would block and room appears again.
  @Test
  @Timeout(10)
  default void edgeWritableComesBackAfterAWriteWouldBlock() throws Exception {
    Pipe p = pipe();
    registry().register(p.writer(), 1, Interest.WRITABLE);
    for (int round = 0; round < 3; round++) {
      expectEvents(writable(1));
      assertTrue(fill(p) > 0, "round " + round + ": an empty pipe takes data");
      expectNoEvents();
      drain(p);
    }
  }

  // 14: a RawFd's caller reports would-block with rearm(); then new data gives a new event.
  @Test
  @Timeout(10)
  default void rawDescriptorRearmedAfterWouldBlockGetsTheNextEvent() throws Exception {
    assumeRawDescriptors();
    Pipe p = pipe();
    RawFd raw = RawFd.of(p.reader().fd()); // I/O goes through the Pipe object, unregistered
    registry().register(raw, 1, Interest.READABLE);
    for (int round = 0; round < 3; round++) {
      write(p, 5);
      expectEvents(readable(1));
      assertEquals(5, drain(p));
      raw.rearm(Interest.READABLE);
      expectNoEvents();
    }
    registry().deregister(raw);
  }

  // 14: on emulated backends, poll4j cannot see a RawFd's I/O: without rearm() it stays silent.
  @Test
  @Timeout(10)
  default void rawDescriptorNotRearmedStaysSilentWhereEdgeIsEmulated() throws Exception {
    assumeTrue(caps().emulatesEdge(), "native edge mode needs no rearm (rearm does nothing)");
    assumeRawDescriptors();
    EventFd fd = eventFd(0);
    registry().register(fd.source(), 1, Interest.READABLE);
    fd.add(1);
    expectEvents(readable(1));
    assertEquals(1, fd.take());
    assertEquals(0, fd.take()); // EAGAIN, but only the caller knows
    fd.add(1);
    expectNoEvents();
    fd.source().rearm(Interest.READABLE);
    expectEvents(readable(1)); // data is there: the re-armed registration reports it
    registry().deregister(fd.source());
  }

  // 11
  @Test
  @Timeout(10)
  default void levelRepeatsWhileReadyAndStopsWhenDrained() throws Exception {
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE, Mode.LEVEL);
    write(p, 3);
    for (int i = 0; i < 5; i++) {
      expectEvents(readable(1)); // nothing read: reported by every poll
    }
    assertEquals(1, read(p, 1));
    assertEquals(1, count(pollNow(), 1), "level mode after a partial read, zero timeout");
    assertEquals(2, drain(p));
    assertTrue(pollNow().isEmpty(), "level mode after draining");
    expectNoEvents();
    write(p, 1);
    expectEvents(readable(1));
  }

  // 11: a raw descriptor in level mode, with the caller's own I/O.
  @Test
  @Timeout(10)
  default void levelRawDescriptorRepeatsUntilTheCallerConsumes() throws Exception {
    assumeRawDescriptors();
    EventFd fd = eventFd(1);
    registry().register(fd.source(), 1, Interest.READABLE, Mode.LEVEL);
    for (int i = 0; i < 3; i++) {
      expectEvents(readable(1));
    }
    assertEquals(1, fd.take());
    expectNoEvents();
  }

  // 12
  @Test
  @Timeout(10)
  default void oneshotFiresOnceUntilReregistered() throws Exception {
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE, Mode.ONESHOT);
    write(p, 4);
    List<Expect.Seen> seen = expectEvents(readable(1));
    assertEquals(1, count(seen, 1), "oneshot: " + seen);
    expectNoEvents(); // data still unread
    write(p, 4);
    expectNoEvents(); // new data
    drain(p); // a read that would block does not re-arm a oneshot registration
    write(p, 4);
    expectNoEvents();
    registry().reregister(p.reader(), 2, Interest.READABLE);
    seen = expectEvents(readable(2));
    assertEquals(1, count(seen, 2), "re-armed oneshot: " + seen);
    assertEquals(0, count(seen, 1), "old token after reregister: " + seen);
    expectNoEvents();
  }

  // 13: re-arming with data unread reports it at once, even to a zero-timeout poll.
  @ParameterizedTest
  @EnumSource(Mode.class)
  @Timeout(10)
  default void reregisterWithDataPendingReportsItToTheNextZeroTimeoutPoll(Mode mode)
      throws Exception {
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE, mode);
    write(p, 4);
    expectEvents(readable(1));
    if (mode != Mode.LEVEL) {
      expectNoEvents(); // edge without new data, oneshot without re-arm: silent
    }
    registry().reregister(p.reader(), 2, Interest.READABLE, mode);
    List<Expect.Seen> seen = pollNow();
    assertEquals(
        1, count(seen, 2), mode + ": the first zero-timeout poll after reregister: " + seen);
    assertEquals(0, count(seen, 1), mode + ": old token after reregister: " + seen);
  }

  // 3, 10-12: reregister changes the mode, and the new mode's rules apply at once.
  @Test
  @Timeout(10)
  default void reregisterSwitchesBetweenModes() throws Exception {
    Pipe p = pipe();
    write(p, 1);
    registry().register(p.reader(), 1, Interest.READABLE, Mode.ONESHOT);
    expectEvents(readable(1));
    expectNoEvents();
    registry().reregister(p.reader(), 2, Interest.READABLE, Mode.LEVEL);
    for (int i = 0; i < 3; i++) {
      expectEvents(readable(2));
    }
    registry().reregister(p.reader(), 3, Interest.READABLE, Mode.EDGE);
    List<Expect.Seen> seen = expectEvents(readable(3));
    assertEquals(0, count(seen, 2), "level token after switching to edge: " + seen);
    expectNoEvents();
    registry().reregister(p.reader(), 4, Interest.READABLE, Mode.ONESHOT);
    expectEvents(readable(4));
    drain(p);
    write(p, 1);
    expectNoEvents();
  }
}
