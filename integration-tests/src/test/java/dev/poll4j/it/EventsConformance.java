package dev.poll4j.it;

import static dev.poll4j.it.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Mode;
import dev.poll4j.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The events buffer: capacity and fairness, peers.md 39. */
interface EventsConformance extends Fixture {

  // 39
  @Test
  @Timeout(10)
  default void eventsHaveAFixedCapacityAndClearEmptiesThem() throws Exception {
    Events events = Events.withCapacity(16);
    assertEquals(16, events.capacity());
    assertTrue(events.isEmpty());
    Pipe p = pipe();
    write(p, 1);
    registry().register(p.reader(), 1, Interest.READABLE, Mode.LEVEL);
    assertEquals(1, poll().poll(events, Duration.ofSeconds(5)));
    assertFalse(events.isEmpty());
    assertEquals(1, events.get(0).token());
    events.clear();
    assertTrue(events.isEmpty());
    assertEquals(0, events.size());
    assertEquals(16, events.capacity());
    assertThrows(IndexOutOfBoundsException.class, () -> events.get(0));
    assertFalse(events.iterator().hasNext());
    assertEquals(1, poll().poll(events, Duration.ZERO), "a poll refills a cleared buffer");
  }

  // 39: index access and the reused iterator agree, and each poll replaces the contents.
  @Test
  @Timeout(10)
  default void indexAndIteratorShowTheSameEventsOfTheLastPoll() throws Exception {
    List<Pipe> pipes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Pipe p = pipe();
      write(p, 1);
      registry().register(p.reader(), 10 + i, Interest.READABLE);
      pipes.add(p);
    }
    Events events = Events.withCapacity(8);
    Set<Long> tokens = new HashSet<>();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (tokens.size() < 5 && System.nanoTime() < deadline) {
      int n = poll().poll(events, Duration.ofMillis(200));
      assertEquals(n, events.size());
      Iterator<Event> it = events.iterator();
      for (int i = 0; i < n; i++) {
        assertTrue(it.hasNext());
        Event viaIterator = it.next();
        long token = viaIterator.token();
        int bits = viaIterator.readyBits();
        Event viaIndex = events.get(i);
        assertEquals(token, viaIndex.token(), "event " + i);
        assertEquals(bits, viaIndex.readyBits(), "event " + i);
        assertTrue(viaIndex.isReadable(), viaIndex.toString());
        assertTrue(tokens.add(token), "token " + token + " twice in edge mode");
      }
      assertFalse(it.hasNext());
      assertThrows(NoSuchElementException.class, it::next);
      assertSame(it, events.iterator(), "the iterator is reused");
    }
    assertEquals(Set.of(10L, 11L, 12L, 13L, 14L), tokens);
    assertEquals(0, poll().poll(events, Duration.ZERO), "a poll replaces the old contents");
    assertTrue(events.isEmpty());
  }

  // 39: at most capacity events per poll; the rest come with the next polls, each once.
  @Test
  @Timeout(10)
  default void aPollReturnsAtMostCapacityEventsAndTheRestComeNext() throws Exception {
    int sources = 10;
    for (int i = 0; i < sources; i++) {
      Pipe p = pipe();
      write(p, 1);
      registry().register(p.reader(), i, Interest.READABLE);
    }
    Events events = Events.withCapacity(3);
    Map<Long, Integer> times = new HashMap<>();
    List<Integer> sizes = new ArrayList<>();
    for (int polls = 0; polls < 20 && times.size() < sources; polls++) {
      int n = poll().poll(events, Duration.ofMillis(200));
      assertTrue(n <= 3, "capacity 3, got " + n);
      sizes.add(n);
      for (Event e : events) {
        times.merge(e.token(), 1, Integer::sum);
      }
    }
    assertEquals(sources, times.size(), "tokens seen: " + times + " in polls of sizes " + sizes);
    assertEquals(3, sizes.get(0), "10 ready sources fill a buffer of 3: " + sizes);
    for (var t : times.entrySet()) {
      assertEquals(1, t.getValue(), "edge mode reported token " + t.getKey() + " again: " + times);
    }
    Expect.noEvents(poll(), events);
  }

  // 39: level sources that stay ready, more than the capacity: none is starved.
  @Test
  @Timeout(10)
  default void levelSourcesBeyondTheCapacityAreNotStarved() throws Exception {
    int sources = 10;
    for (int i = 0; i < sources; i++) {
      Pipe p = pipe();
      write(p, 1);
      registry().register(p.reader(), i, Interest.READABLE, Mode.LEVEL);
    }
    Events events = Events.withCapacity(3);
    Set<Long> seen = new HashSet<>();
    List<Integer> sizes = new ArrayList<>();
    for (int polls = 0; polls < 8; polls++) {
      int n = poll().poll(events, Duration.ofSeconds(1));
      assertEquals(3, n, "10 ready level sources fill a buffer of 3");
      sizes.add(n);
      for (Event e : events) {
        seen.add(e.token());
      }
    }
    // Four polls of 3 could cover all 10; 8 polls leave room for an uneven rotation.
    assertEquals(sources, seen.size(), "seen in 8 polls of 3: " + seen);
  }
}
