package dev.poll4j.net;

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
 * Event helpers for the socket tests, which run on core's poll(2) backend (it emulates edge
 * mode, so the would-block hooks of the sockets are exercised): wait for an event while
 * tolerating spurious ones, or insist that none arrives for a while.
 */
final class Polling {
  /** How long {@link #await} waits before failing. */
  static final Duration DEADLINE = Duration.ofSeconds(5);
  /** How long {@link #quiet} watches; mio uses 50 ms. */
  static final Duration QUIET = Duration.ofMillis(100);

  final Poll poll;
  final Events events = Events.withCapacity(64);

  private Polling(Poll poll) {
    this.poll = poll;
  }

  /** A poll on the poll(2) backend. */
  static Polling open() throws IOException {
    return new Polling(Poll.open("poll"));
  }

  /** One copied event: {@link Event} is a reused view. */
  record Seen(long token, int bits) {
    boolean has(int mask) {
      return (bits & mask) == mask;
    }

    @Override
    public String toString() {
      return "{" + token + ": " + Ops.toString(bits) + "}";
    }
  }

  /** One poll, events copied out. */
  List<Seen> once(Duration timeout) throws IOException {
    int n = poll.poll(events, timeout);
    List<Seen> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Event e = events.get(i);
      out.add(new Seen(e.token(), e.readyBits()));
    }
    return out;
  }

  /**
   * Polls until an event for {@code token} with all of {@code bits} arrives; fails after
   * {@link #DEADLINE}. Returns the union of the bits of every event for {@code token} seen.
   */
  int await(long token, int bits) throws IOException {
    List<Seen> seen = new ArrayList<>();
    int union = 0;
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    for (long left = DEADLINE.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      for (Seen s : once(Duration.ofNanos(Math.min(left, 500_000_000L)))) {
        seen.add(s);
        if (s.token() == token) {
          union |= s.bits();
          if (s.has(bits)) {
            return union;
          }
        }
      }
    }
    fail("no event {" + token + ": " + Ops.toString(bits) + "} within " + DEADLINE + "; saw "
        + seen);
    return 0;
  }

  /** Polls for {@link #QUIET} and fails on any event for {@code token}. */
  void quiet(long token) throws IOException {
    long deadline = System.nanoTime() + QUIET.toNanos();
    for (long left = QUIET.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      for (Seen s : once(Duration.ofNanos(left))) {
        if (s.token() == token) {
          fail("expected no event for token " + token + ", got " + s);
        }
      }
    }
  }

  void close() throws IOException {
    poll.close();
  }
}
