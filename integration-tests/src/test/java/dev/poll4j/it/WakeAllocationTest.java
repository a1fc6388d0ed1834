package dev.poll4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.poll4j.BackendStatus;
import dev.poll4j.Events;
import dev.poll4j.Poll;
import dev.poll4j.Waker;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Regression: waking from a thread other than the poller must not allocate. The selector's
 * lifecycle guard used to be a ReentrantReadWriteLock, whose read lock allocates a hold counter
 * for every acquisition by a thread that is not the lock's first reader (about 110 bytes a wake).
 */
@Timeout(60)
class WakeAllocationTest {
  /**
   * Every backend available here: epoll and poll on Linux, kqueue and poll on macOS and the BSDs,
   * iocp on Windows.
   */
  static List<String> availableBackends() {
    return Poll.backends().stream()
        .filter(BackendStatus::available)
        .map(BackendStatus::name)
        .collect(Collectors.toList());
  }

  @ParameterizedTest
  @MethodSource("availableBackends")
  void wakingFromAnotherThreadAllocatesNothing(String backend) throws Exception {
    var bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
    var mx = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(mx.isThreadAllocatedMemorySupported(), "no per-thread allocation counter");
    mx.setThreadAllocatedMemoryEnabled(true);
    try (Poll poll = Poll.open(backend); Waker waker = Waker.create(poll.registry(), 5)) {
      AtomicLong seen = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      Thread poller =
          new Thread(
              () -> {
                Events events = Events.withCapacity(4);
                try {
                  while (!stop.get()) {
                    // The poller is the selector's steady user; the waker thread comes and goes.
                    if (poll.poll(events, Duration.ofMillis(100)) > 0) {
                      seen.incrementAndGet();
                    }
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      poller.start();
      try {
        long me = Thread.currentThread().getId();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5 && best != 0; round++) {
          long before = mx.getThreadAllocatedBytes(me);
          for (int i = 0; i < 20_000; i++) {
            long target = seen.get() + 1;
            waker.wake();
            while (seen.get() < target) {
              Thread.onSpinWait();
            }
          }
          best = Math.min(best, mx.getThreadAllocatedBytes(me) - before);
        }
        assertEquals(0, best, "bytes allocated by the waking thread over 20,000 wakes");
      } finally {
        stop.set(true);
        waker.wake();
        poller.join(5_000);
      }
    }
  }
}
