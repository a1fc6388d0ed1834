package dev.poll4j.epoll;

import static dev.poll4j.epoll.Fixtures.LONG_NANOS;
import static dev.poll4j.epoll.Fixtures.oneByte;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.poll4j.Mode;
import dev.poll4j.Pipe;
import dev.poll4j.epoll.sys.EpollPwait2;
import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.spi.EventBuffer;
import dev.poll4j.spi.Ops;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import dev.poll4j.internal.posix.Readiness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The timed wait: epoll_pwait2 where it works, epoll_wait with rounded-up milliseconds else. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "epoll exists on Linux only")
class EpollWaitTest {
  private static final long SUB_MS = TimeUnit.MICROSECONDS.toNanos(200);

  @Test
  void epollWaitTimeoutRoundsSubMillisecondUpNeverToZero() {
    assertEquals(1, Readiness.timeoutMillis(1));
    assertEquals(1, Readiness.timeoutMillis(200_000));
    assertEquals(1, Readiness.timeoutMillis(999_999));
    assertEquals(1, Readiness.timeoutMillis(1_000_000));
    assertEquals(2, Readiness.timeoutMillis(1_000_001));
    assertEquals(1500, Readiness.timeoutMillis(1_499_999_999L));
  }

  @Test
  void epollWaitTimeoutKeepsForeverAndNonBlocking() {
    assertEquals(-1, Readiness.timeoutMillis(-1));
    assertEquals(0, Readiness.timeoutMillis(0));
  }

  @Test
  void epollWaitTimeoutClampsHugeValuesToIntMax() {
    assertEquals(Integer.MAX_VALUE, Readiness.timeoutMillis(Long.MAX_VALUE));
    assertEquals(Integer.MAX_VALUE, Readiness.timeoutMillis((Integer.MAX_VALUE + 1L) * 1_000_000));
    assertEquals(Integer.MAX_VALUE - 1, Readiness.timeoutMillis((Integer.MAX_VALUE - 1L) * 1_000_000));
  }

  @Test
  void enosysAndEpermFromPwait2MeanFallBackOtherErrorsDoNot() {
    assertTrue(EpollSelector.meansPwait2Unsupported(Errno.ENOSYS));
    assertTrue(EpollSelector.meansPwait2Unsupported(Errno.EPERM));
    assertFalse(EpollSelector.meansPwait2Unsupported(Errno.EINTR));
    assertFalse(EpollSelector.meansPwait2Unsupported(Errno.EINVAL));
    assertFalse(EpollSelector.meansPwait2Unsupported(Errno.EBADF));
    assertFalse(EpollSelector.meansPwait2Unsupported(Errno.EFAULT));
  }

  @Test
  void pwait2IsUsedWhenTheCLibraryHasIt() throws IOException {
    assumeTrue(EpollPwait2.isBound(), "epoll_pwait2 is not in this C library (glibc < 2.35)");
    try (Pipe pipe = Pipe.open()) {
      EpollSelector s = new EpollSelector(true);
      try {
        assertTrue(s.usesPwait2());
        pipe.reader().handle().register(s, 1, Ops.READABLE, Mode.EDGE);
        assertEquals(0, s.select(new EventBuffer(4), SUB_MS));
        assertTrue(
            s.usesPwait2(),
            "epoll_pwait2 failed with ENOSYS or EPERM on kernel "
                + System.getProperty("os.version")
                + " (5.11+ has it; a seccomp profile may refuse it)");
      } finally {
        s.close();
      }
    }
  }

  @Test
  void pwait2WaitsWithSubMillisecondPrecision() throws IOException {
    assumeTrue(EpollPwait2.isBound(), "epoll_pwait2 is not in this C library (glibc < 2.35)");
    EpollSelector s = new EpollSelector(true);
    try {
      long best = Long.MAX_VALUE;
      for (int i = 0; i < 20; i++) {
        best = Math.min(best, timedEmptySelect(s, SUB_MS));
      }
      assertTrue(best >= SUB_MS, "returned early: " + best + " ns");
      assertTrue(best < 1_000_000, "best of 20 waits of 200 us took " + best + " ns");
    } finally {
      s.close();
    }
  }

  @Test
  void forcedFallbackNeverUsesPwait2() throws IOException {
    EpollSelector s = new EpollSelector(false);
    try {
      assertFalse(s.usesPwait2());
      s.select(new EventBuffer(4), SUB_MS);
      assertFalse(s.usesPwait2());
    } finally {
      s.close();
    }
  }

  @Test
  void fallbackSubMillisecondTimeoutWaitsAWholeMillisecondInsteadOfSpinning() throws IOException {
    EpollSelector s = new EpollSelector(false);
    try {
      // Rounded down to 0, the wait would not block and the base class would spin until the
      // 200 us passed; rounded up, one epoll_wait blocks for at least 1 ms.
      long elapsed = timedEmptySelect(s, SUB_MS);
      assertTrue(elapsed >= 950_000, "took " + elapsed + " ns: the timeout became 0 ms");
    } finally {
      s.close();
    }
  }

  @Test
  void timedWaitsNeverReturnEarlyOnEitherPath() throws IOException {
    for (boolean pwait2 : new boolean[] {true, false}) {
      EpollSelector s = new EpollSelector(pwait2);
      try {
        for (long t : new long[] {1, 50_000, SUB_MS, 1_000_000, 1_500_000, 20_000_000}) {
          long elapsed = timedEmptySelect(s, t);
          assertTrue(elapsed >= t, "pwait2=" + pwait2 + ": " + t + " ns wait took " + elapsed);
        }
      } finally {
        s.close();
      }
    }
  }

  @Test
  void eventArrivingDuringATimedWaitEndsItOnBothPaths() throws Exception {
    for (boolean pwait2 : new boolean[] {true, false}) {
      EpollSelector s = new EpollSelector(pwait2);
      try (Pipe pipe = Pipe.open()) {
        pipe.reader().handle().register(s, 3, Ops.READABLE, Mode.EDGE);
        EventBuffer buf = new EventBuffer(4);
        CompletableFuture<Void> writer =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    Thread.sleep(50);
                    pipe.writer().write(oneByte());
                  } catch (Exception e) {
                    throw new RuntimeException(e);
                  }
                });
        long start = System.nanoTime();
        assertEquals(1, s.select(buf, LONG_NANOS), "pwait2=" + pwait2);
        assertTrue(System.nanoTime() - start < LONG_NANOS);
        assertEquals(3, buf.token(0));
        writer.get();
      } finally {
        s.close();
      }
    }
  }

  private static long timedEmptySelect(EpollSelector s, long timeoutNanos) throws IOException {
    EventBuffer buf = new EventBuffer(4);
    long start = System.nanoTime();
    assertEquals(0, s.select(buf, timeoutNanos));
    return System.nanoTime() - start;
  }
}
