package dev.poll4j.epoll;

import static dev.poll4j.epoll.Fixtures.LONG_NANOS;
import static dev.poll4j.epoll.Fixtures.drain;
import static dev.poll4j.epoll.Fixtures.expectEvent;
import static dev.poll4j.epoll.Fixtures.expectNoEventFor;
import static dev.poll4j.epoll.Fixtures.expectNoEvents;
import static dev.poll4j.epoll.Fixtures.oneByte;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.Mode;
import dev.poll4j.Pipe;
import dev.poll4j.spi.EventBuffer;
import dev.poll4j.spi.Ops;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Register and select through the epoll selector directly (the SPI level). */
@EnabledOnOs(value = OS.LINUX, disabledReason = "epoll exists on Linux only")
class EpollSelectorTest {
  private EpollSelector selector;
  private Pipe pipe;
  private final EventBuffer buf = new EventBuffer(16);

  @BeforeEach
  void open() throws IOException {
    selector = new EpollSelector(true);
    pipe = Pipe.open();
  }

  @AfterEach
  void close() throws IOException {
    pipe.close();
    selector.close();
  }

  @Test
  void selectorReportsItsBackendAndNativeEdgeMode() {
    assertEquals("epoll", selector.backendName());
    assertFalse(selector.emulatesEdge());
  }

  @Test
  void pipeBecomesReadableWhenWrittenAndEventCarriesTheToken() throws IOException {
    pipe.reader().handle().register(selector, 7, Ops.READABLE, Mode.EDGE);
    assertEquals(0, selector.select(buf, 0));
    pipe.writer().write(oneByte());
    int ready = expectEvent(selector, buf, 7, Ops.READABLE);
    assertEquals(Ops.READABLE, ready);
  }

  @Test
  void writeEndIsWritableAtOnce() throws IOException {
    pipe.writer().handle().register(selector, 8, Ops.WRITABLE, Mode.EDGE);
    assertEquals(Ops.WRITABLE, expectEvent(selector, buf, 8, Ops.WRITABLE));
  }

  @Test
  void readerIsReadableAndReadClosedWhenTheWriterCloses() throws IOException {
    pipe.reader().handle().register(selector, 9, Ops.READABLE, Mode.EDGE);
    pipe.writer().close();
    int ready = expectEvent(selector, buf, 9, Ops.READABLE | Ops.READ_CLOSED);
    assertEquals(0, ready & Ops.WRITABLE, "writable was not asked for: " + Ops.toString(ready));
  }

  @Test
  void writerIsWritableWithErrorWhenTheReaderCloses() throws IOException {
    pipe.writer().handle().register(selector, 10, Ops.WRITABLE, Mode.EDGE);
    expectEvent(selector, buf, 10, Ops.WRITABLE);
    pipe.reader().close();
    int ready = expectEvent(selector, buf, 10, Ops.WRITABLE | Ops.ERROR | Ops.WRITE_CLOSED);
    assertEquals(0, ready & Ops.READABLE, "readable was not asked for: " + Ops.toString(ready));
  }

  @Test
  void hangUpIsReportedEvenWithOnlyPriorityInterest() throws IOException {
    pipe.reader().handle().register(selector, 11, Ops.PRIORITY, Mode.LEVEL);
    expectNoEvents(selector, buf);
    pipe.writer().close();
    int ready = expectEvent(selector, buf, 11, Ops.READ_CLOSED);
    assertEquals(Ops.READ_CLOSED | Ops.WRITE_CLOSED, ready);
  }

  @Test
  void edgeModeReportsOnceUntilNewDataArrives() throws IOException {
    pipe.reader().handle().register(selector, 1, Ops.READABLE, Mode.EDGE);
    pipe.writer().write(oneByte());
    expectEvent(selector, buf, 1, Ops.READABLE);
    expectNoEvents(selector, buf);
    pipe.writer().write(oneByte());
    expectEvent(selector, buf, 1, Ops.READABLE);
  }

  @Test
  void levelModeRepeatsWhileReadableAndStopsWhenDrained() throws IOException {
    pipe.reader().handle().register(selector, 2, Ops.READABLE, Mode.LEVEL);
    pipe.writer().write(oneByte());
    expectEvent(selector, buf, 2, Ops.READABLE);
    expectEvent(selector, buf, 2, Ops.READABLE);
    drain(pipe.reader());
    expectNoEvents(selector, buf);
  }

  @Test
  void oneshotModeFiresOnceUntilReregistered() throws IOException {
    pipe.reader().handle().register(selector, 3, Ops.READABLE, Mode.ONESHOT);
    pipe.writer().write(oneByte());
    expectEvent(selector, buf, 3, Ops.READABLE);
    expectNoEvents(selector, buf);
    pipe.writer().write(oneByte());
    expectNoEvents(selector, buf);
    pipe.reader().handle().reregister(selector, 4, Ops.READABLE, Mode.ONESHOT);
    expectEvent(selector, buf, 4, Ops.READABLE);
  }

  @Test
  void reregisterReplacesTheToken() throws IOException {
    pipe.reader().handle().register(selector, 5, Ops.READABLE, Mode.LEVEL);
    pipe.writer().write(oneByte());
    pipe.reader().handle().reregister(selector, 6, Ops.READABLE, Mode.LEVEL);
    expectEvent(selector, buf, 6, Ops.READABLE);
    expectNoEventFor(selector, buf, 5);
  }

  @Test
  void deregisteredSourceNeverReturnsItsToken() throws IOException {
    pipe.reader().handle().register(selector, 12, Ops.READABLE, Mode.LEVEL);
    pipe.writer().write(oneByte());
    expectEvent(selector, buf, 12, Ops.READABLE);
    pipe.reader().handle().deregister(selector);
    expectNoEvents(selector, buf);
  }

  @Test
  void slotReusedByANewRegistrationNeverReportsTheOldToken() throws Exception {
    // Events carry a slot (index and generation), not the token: the new registration takes the
    // freed index with a new generation, and only its own token comes back.
    pipe.reader().handle().register(selector, 13, Ops.READABLE, Mode.LEVEL);
    pipe.writer().write(oneByte());
    expectEvent(selector, buf, 13, Ops.READABLE);
    pipe.reader().handle().deregister(selector);
    try (Pipe other = Pipe.open()) {
      other.reader().handle().register(selector, 14, Ops.READABLE, Mode.LEVEL);
      expectNoEvents(selector, buf);
      other.writer().write(oneByte());
      expectEvent(selector, buf, 14, Ops.READABLE);
      expectNoEventFor(selector, buf, 13);
    }
  }

  @Test
  void closingARegisteredSourceEndsItsRegistration() throws IOException {
    pipe.reader().handle().register(selector, 15, Ops.READABLE, Mode.LEVEL);
    pipe.writer().write(oneByte());
    pipe.reader().close();
    expectNoEvents(selector, buf);
  }

  @Test
  void registrationFromAnotherThreadTakesEffectInABlockedSelect() throws Exception {
    CountDownLatch selecting = new CountDownLatch(1);
    CompletableFuture<Long> got =
        CompletableFuture.supplyAsync(
            () -> {
              EventBuffer b = new EventBuffer(4);
              try {
                selecting.countDown();
                int n = selector.select(b, LONG_NANOS);
                return n > 0 ? b.token(0) : -1L;
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    selecting.await();
    Thread.sleep(50); // let it block in epoll_wait
    pipe.writer().write(oneByte());
    pipe.reader().handle().register(selector, 16, Ops.READABLE, Mode.EDGE);
    assertEquals(16L, got.get(LONG_NANOS, TimeUnit.NANOSECONDS));
  }

  @Test
  void closeWakesABlockedSelectAndIsIdempotent() throws Exception {
    CountDownLatch selecting = new CountDownLatch(1);
    CompletableFuture<Integer> got =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                selecting.countDown();
                return selector.select(new EventBuffer(4), -1);
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    selecting.await();
    Thread.sleep(50);
    selector.close();
    assertEquals(0, got.get(LONG_NANOS, TimeUnit.NANOSECONDS));
    assertTrue(selector.isClosed());
    selector.close();
    assertThrows(IllegalStateException.class, () -> selector.select(buf, 0));
  }

  @Test
  void smallBufferGetsEveryReadySourceOverSeveralSelects() throws IOException {
    int count = 100;
    Pipe[] pipes = new Pipe[count];
    EventBuffer small = new EventBuffer(7);
    try {
      for (int i = 0; i < count; i++) {
        pipes[i] = Pipe.open();
        pipes[i].reader().handle().register(selector, 1000 + i, Ops.READABLE, Mode.EDGE);
        pipes[i].writer().write(oneByte());
      }
      Set<Long> seen = new HashSet<>();
      long deadline = System.nanoTime() + LONG_NANOS;
      while (seen.size() < count && System.nanoTime() < deadline) {
        int n = selector.select(small, TimeUnit.MILLISECONDS.toNanos(100));
        assertTrue(n <= 7);
        for (int i = 0; i < n; i++) {
          seen.add(small.token(i));
        }
      }
      assertEquals(count, seen.size());
    } finally {
      for (Pipe p : pipes) {
        if (p != null) {
          p.close();
        }
      }
    }
  }

  @Test
  void eventArrayGrowsWithTheBufferUpToTheCap() throws IOException {
    int initial = selector.eventsCapacity();
    selector.select(new EventBuffer(initial + 100), 0);
    assertEquals(initial + 100, selector.eventsCapacity());
    selector.select(new EventBuffer(10), 0);
    assertEquals(initial + 100, selector.eventsCapacity(), "never shrinks");
    selector.select(new EventBuffer(EpollSelector.MAX_EVENTS * 2), 0);
    assertEquals(EpollSelector.MAX_EVENTS, selector.eventsCapacity());
  }

  @Test
  void slotsOfDeregisteredSourcesAreReused() throws IOException {
    for (int i = 0; i < 1000; i++) {
      pipe.reader().handle().register(selector, i, Ops.READABLE, Mode.EDGE);
      EpollSelector.EpollRegistration r =
          (EpollSelector.EpollRegistration) pipe.reader().handle().registration();
      assertEquals(0, (int) r.key, "slot index of the key");
      pipe.reader().handle().deregister(selector);
    }
  }

  @Test
  void deregisteredTokenIsNeverReportedByALaterSelectUnderConcurrentChurn() throws Exception {
    // Another thread registers the always-readable reader (level mode) with a fresh token each
    // time and deregisters it again; a select that starts after deregister(t) returned must never
    // report t, even when epoll_wait already handed the event out.
    pipe.writer().write(oneByte());
    AtomicLong lastDeregistered = new AtomicLong(-1);
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Long> churn =
        CompletableFuture.supplyAsync(
            () -> {
              long token = 0;
              try {
                while (!stop.get()) {
                  pipe.reader().handle().register(selector, token, Ops.READABLE, Mode.LEVEL);
                  pipe.reader().handle().deregister(selector);
                  lastDeregistered.set(token++);
                }
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
              return token;
            });
    EventBuffer b = new EventBuffer(4);
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
    while (System.nanoTime() < end) {
      long deadBefore = lastDeregistered.get();
      int n = selector.select(b, TimeUnit.MILLISECONDS.toNanos(1));
      for (int i = 0; i < n; i++) {
        assertTrue(
            b.token(i) > deadBefore,
            "token " + b.token(i) + " reported after its deregistration (" + deadBefore + ")");
      }
    }
    stop.set(true);
    assertTrue(churn.get(LONG_NANOS, TimeUnit.NANOSECONDS) > 0);
    expectNoEvents(selector, buf);
  }

  @Test
  void reservedTokenIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> pipe.reader().handle().register(selector, Long.MIN_VALUE, Ops.READABLE, Mode.EDGE));
  }
}
