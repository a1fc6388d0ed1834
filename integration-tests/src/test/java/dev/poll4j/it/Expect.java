package dev.poll4j.it;

import static org.junit.jupiter.api.Assertions.fail;

import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Poll;
import dev.poll4j.spi.Ops;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Polling helpers in the spirit of mio's {@code tests/util}: wait for expected events while
 * tolerating spurious extra ones, or insist that nothing at all arrives for a short while.
 */
final class Expect {
  /** How long {@link #events} waits for the expected events before failing. */
  static final Duration DEADLINE = Duration.ofSeconds(3);

  /**
   * How long a refused loopback connect may take to be reported: Windows answers the peer's reset
   * by sending its SYN twice more, half a second and a second later, so its refusals take about
   * two seconds even on loopback.
   */
  static final Duration REFUSAL_DEADLINE = Duration.ofSeconds(10);

  /** How long {@link #noEvents} watches for events; mio uses 50 ms. */
  static final Duration QUIET = Duration.ofMillis(75);

  /** One poll call of {@link #events} waits at most this long. */
  private static final Duration SLICE = Duration.ofMillis(500);

  private Expect() {}

  /**
   * A copy of one event: {@link Event} is a reused view, valid only until the next poll.
   *
   * @param token the token
   * @param bits the readiness bits ({@link Ops})
   */
  record Seen(long token, int bits) {
    boolean has(int mask) {
      return (bits & mask) == mask;
    }

    @Override
    public String toString() {
      return "{token " + token + ": " + Ops.toString(bits) + "}";
    }
  }

  /**
   * What an expected event must have: this token, and at least these readiness bits.
   *
   * @param token the token
   * @param bits bits the event must include (it may have more)
   */
  record Expected(long token, int bits) {
    boolean matches(Seen s) {
      return s.token == token && s.has(bits);
    }

    @Override
    public String toString() {
      return "{token " + token + ": " + Ops.toString(bits) + "}";
    }
  }

  static Expected event(long token, int bits) {
    return new Expected(token, bits);
  }

  static Expected readable(long token) {
    return new Expected(token, Ops.READABLE);
  }

  static Expected writable(long token) {
    return new Expected(token, Ops.WRITABLE);
  }

  /**
   * One poll, with the events copied out.
   *
   * @return the events of that poll, in order
   */
  static List<Seen> pollOnce(Poll poll, Events events, Duration timeout) throws IOException {
    int n = poll.poll(events, timeout);
    if (n != events.size()) {
      fail("poll returned " + n + " but Events holds " + events.size());
    }
    List<Seen> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Event e = events.get(i);
      if (e.readyBits() == 0) {
        fail("an event without readiness (peers.md 26: never empty): " + e);
      }
      out.add(new Seen(e.token(), e.readyBits()));
    }
    return out;
  }

  /**
   * Polls until every expected event has been seen, or fails after {@link #DEADLINE}. Extra events
   * (spurious, or from other sources) are tolerated and returned.
   *
   * @return every event seen while waiting, in order
   */
  static List<Seen> events(Poll poll, Events events, Expected... expected) throws IOException {
    return events(poll, events, DEADLINE, expected);
  }

  /** As {@link #events(Poll, Events, Expected...)}, failing after {@code max}. */
  static List<Seen> events(Poll poll, Events events, Duration max, Expected... expected)
      throws IOException {
    List<Seen> seen = new ArrayList<>();
    boolean[] found = new boolean[expected.length];
    long deadline = System.nanoTime() + max.toNanos();
    for (; ; ) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        List<Expected> missing = new ArrayList<>();
        for (int i = 0; i < expected.length; i++) {
          if (!found[i]) {
            missing.add(expected[i]);
          }
        }
        fail("within " + max.toMillis() + " ms, missing " + missing + "; saw " + seen);
      }
      for (Seen s : pollOnce(poll, events, Duration.ofNanos(Math.min(left, SLICE.toNanos())))) {
        seen.add(s);
        for (int i = 0; i < expected.length; i++) {
          found[i] |= expected[i].matches(s);
        }
      }
      boolean all = true;
      for (boolean f : found) {
        all &= f;
      }
      if (all) {
        return seen;
      }
    }
  }

  /** Polls for {@link #QUIET} and fails on any event. */
  static void noEvents(Poll poll, Events events) throws IOException {
    noEvents(poll, events, QUIET);
  }

  /** Polls for {@code quiet} and fails on any event. */
  static void noEvents(Poll poll, Events events, Duration quiet) throws IOException {
    long deadline = System.nanoTime() + quiet.toNanos();
    for (long left = quiet.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      List<Seen> seen = pollOnce(poll, events, Duration.ofNanos(left));
      if (!seen.isEmpty()) {
        fail("expected no events, got " + seen);
      }
    }
  }

  /** Polls for {@link #QUIET} and fails on any event carrying {@code token}; others are fine. */
  static void noEventFor(Poll poll, Events events, long token) throws IOException {
    long deadline = System.nanoTime() + QUIET.toNanos();
    for (long left = QUIET.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      for (Seen s : pollOnce(poll, events, Duration.ofNanos(left))) {
        if (s.token() == token) {
          fail("expected no event for token " + token + ", got " + s);
        }
      }
    }
  }

  /** Counts the events of {@code seen} that carry {@code token}. */
  static long count(List<Seen> seen, long token) {
    return seen.stream().filter(s -> s.token() == token).count();
  }

  /** The union of the readiness bits of the events of {@code seen} that carry {@code token}. */
  static int union(List<Seen> seen, long token) {
    int bits = 0;
    for (Seen s : seen) {
      if (s.token() == token) {
        bits |= s.bits();
      }
    }
    return bits;
  }
}
