package dev.poll4j.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Poll;
import dev.poll4j.Waker;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The eventfd wake-up, seen through the public Waker and interrupt behaviour. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "epoll exists on Linux only")
class EpollWakerTest {
  private static final long WAKE = 99;
  private Poll poll;
  private final Events events = Events.withCapacity(8);

  @BeforeEach
  void open() throws IOException {
    poll = Poll.open("epoll");
  }

  @AfterEach
  void close() throws IOException {
    poll.close();
  }

  @Test
  void wakeFromAnotherThreadEndsABlockedPollWithTheWakersToken() throws Exception {
    try (Waker waker = Waker.create(poll.registry(), WAKE)) {
      CountDownLatch polling = new CountDownLatch(1);
      CompletableFuture<Void> waking =
          CompletableFuture.runAsync(
              () -> {
                try {
                  polling.await();
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  throw new RuntimeException(e);
                }
                waker.wake();
              });
      polling.countDown();
      long start = System.nanoTime();
      assertEquals(1, poll.poll(events, null));
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
      Event e = events.get(0);
      assertEquals(WAKE, e.token());
      assertTrue(e.isReadable());
      waking.get();
    }
  }

  @Test
  void wakesCoalesceIntoOneEventAndTheEventfdIsDrained() throws IOException {
    try (Waker waker = Waker.create(poll.registry(), WAKE)) {
      waker.wake();
      waker.wake();
      waker.wake();
      assertEquals(1, poll.poll(events, Duration.ofSeconds(5)));
      assertEquals(WAKE, events.get(0).token());
      // Drained: the (level-triggered) eventfd does not fire again.
      assertEquals(0, poll.poll(events, Duration.ofMillis(50)));
    }
  }

  @Test
  void wakeAfterTheLastOneWasSeenAlwaysGivesANewEvent() throws IOException {
    try (Waker waker = Waker.create(poll.registry(), WAKE)) {
      for (int i = 0; i < 1000; i++) {
        waker.wake();
        assertEquals(1, poll.poll(events, Duration.ofSeconds(5)), "round " + i);
        assertEquals(WAKE, events.get(0).token());
      }
    }
  }

  @Test
  void interruptEndsABlockedPollAndKeepsTheInterruptStatus() throws Exception {
    Thread me = Thread.currentThread();
    CompletableFuture<Void> interrupter =
        CompletableFuture.runAsync(
            () -> {
              try {
                Thread.sleep(100);
              } catch (InterruptedException e) {
                throw new RuntimeException(e);
              }
              me.interrupt();
            });
    long start = System.nanoTime();
    int n = poll.poll(events, Duration.ofSeconds(10));
    long elapsed = System.nanoTime() - start;
    boolean interrupted = Thread.interrupted(); // reads and clears the status
    interrupter.get();
    assertEquals(0, n);
    assertTrue(interrupted, "interrupt status was cleared");
    assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), "took " + elapsed + " ns");
    // The internal wake-up was drained: the next poll waits again.
    assertEquals(0, poll.poll(events, Duration.ofMillis(20)));
  }
}
