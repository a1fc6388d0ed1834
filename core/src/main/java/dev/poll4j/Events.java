package dev.poll4j;

import dev.poll4j.spi.EventBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A fixed-capacity buffer that {@link Poll#poll} fills with events; allocate one per polling
 * thread and reuse it.
 *
 * <p>Each {@code poll} first clears the buffer, then adds at most {@link #capacity()} events;
 * further ready sources are reported by the next {@code poll}. Nothing is allocated per poll or
 * per event: {@link #get(int)} and the iterator hand out one reused {@link Event} view, valid
 * until the next {@code poll}. The iterator object itself is reused too, so only one iteration
 * over an {@code Events} may be in progress at a time. Not thread-safe.
 *
 * <pre>{@code
 * Events events = Events.withCapacity(1024);
 * poll.poll(events, Duration.ofMillis(100));
 * for (Event e : events) {
 *   handle(e.token(), e.isReadable(), e.isWritable());
 * }
 * }</pre>
 */
public final class Events implements Iterable<Event> {
  private final EventBuffer buffer;
  private final Event view;
  private final Cursor cursor = new Cursor();

  private Events(int capacity) {
    this.buffer = new EventBuffer(capacity);
    this.view = new Event(buffer);
  }

  /**
   * Creates a buffer for at most {@code capacity} events per poll.
   *
   * @param capacity the largest number of events one poll returns, at least 1
   * @return a new, empty buffer
   * @throws IllegalArgumentException if {@code capacity < 1}
   */
  public static Events withCapacity(int capacity) {
    return new Events(capacity);
  }

  EventBuffer buffer() {
    return buffer;
  }

  /**
   * The largest number of events one poll returns.
   *
   * @return the capacity
   */
  public int capacity() {
    return buffer.capacity();
  }

  /**
   * The number of events from the last poll.
   *
   * @return the count, {@code 0 <= size() <= capacity()}
   */
  public int size() {
    return buffer.size();
  }

  /**
   * Whether the last poll returned no event.
   *
   * @return true if empty
   */
  public boolean isEmpty() {
    return buffer.size() == 0;
  }

  /** Removes every event. */
  public void clear() {
    buffer.clear();
  }

  /**
   * Event {@code i} of the last poll, as the reused view.
   *
   * @param i index, {@code 0 <= i < size()}
   * @return the shared {@link Event} view pointed at event {@code i}
   * @throws IndexOutOfBoundsException if {@code i} is out of range
   */
  public Event get(int i) {
    if (i < 0 || i >= buffer.size()) {
      throw new IndexOutOfBoundsException("index " + i + " out of range [0, " + size() + ")");
    }
    return view.at(i);
  }

  /**
   * Iterates over the events of the last poll. Returns the same iterator object each time, reset
   * to the start.
   *
   * @return the reused iterator
   */
  @Override
  public Iterator<Event> iterator() {
    cursor.next = 0;
    return cursor;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Events[");
    for (int i = 0; i < buffer.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(new Event(buffer).at(i));
    }
    return sb.append(']').toString();
  }

  private final class Cursor implements Iterator<Event> {
    int next;

    @Override
    public boolean hasNext() {
      return next < buffer.size();
    }

    @Override
    public Event next() {
      if (next >= buffer.size()) {
        throw new NoSuchElementException();
      }
      return view.at(next++);
    }
  }
}
