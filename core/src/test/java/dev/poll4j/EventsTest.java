package dev.poll4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.spi.Ops;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class EventsTest {
  @Test
  void capacityBelowOneIsRejectedWithTheValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> Events.withCapacity(0));
    assertEquals("capacity < 1: 0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Events.withCapacity(-5));
  }

  @Test
  void viewAndIteratorAreReusedAndReadTheBuffer() {
    Events events = Events.withCapacity(16);
    assertEquals(16, events.capacity());
    assertTrue(events.isEmpty());
    events.buffer().add(7, Ops.READABLE | Ops.READ_CLOSED);
    events.buffer().add(9, Ops.WRITABLE | Ops.ERROR);
    assertEquals(2, events.size());
    Event first = events.get(0);
    assertEquals(7, first.token());
    assertTrue(first.isReadable());
    assertTrue(first.isReadClosed());
    assertFalse(first.isWritable());
    Event second = events.get(1);
    assertSame(first, second, "get() hands out one reused view");
    assertEquals(9, second.token());
    assertTrue(second.isWritable() && second.isError());
    assertSame(events.iterator(), events.iterator(), "the iterator is reused");
    long sum = 0;
    for (Event e : events) {
      sum += e.token();
    }
    assertEquals(16, sum);
    var it = events.iterator();
    it.next();
    it.next();
    assertThrows(NoSuchElementException.class, it::next);
    assertThrows(IndexOutOfBoundsException.class, () -> events.get(2));
    events.clear();
    assertTrue(events.isEmpty());
  }
}
