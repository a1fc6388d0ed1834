package dev.poll4j.internal.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.poll4j.internal.posix.sys.Poll;
import dev.poll4j.spi.Ops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class ReadinessTest {
  @Test
  void subMillisecondTimeoutsRoundUpNeverDownToZero() {
    assertEquals(0, Readiness.timeoutMillis(0));
    assertEquals(1, Readiness.timeoutMillis(1));
    assertEquals(1, Readiness.timeoutMillis(999_999));
    assertEquals(1, Readiness.timeoutMillis(1_000_000));
    assertEquals(2, Readiness.timeoutMillis(1_000_001));
    assertEquals(-1, Readiness.timeoutMillis(-1));
    assertEquals(Integer.MAX_VALUE, Readiness.timeoutMillis(Long.MAX_VALUE));
  }

  @Test
  @EnabledOnOs(
      value = OS.LINUX,
      disabledReason = "uses Linux's poll(2) bits (POLLRDHUP); sys.Poll binds poll(2) as it loads")
  void reventsAreLimitedToArmedInterestPlusErrorAndClosedBits() {
    int rw = Ops.READABLE | Ops.WRITABLE;
    assertEquals(Ops.READABLE, Readiness.translate(Poll.POLLIN, rw));
    assertEquals(0, Readiness.translate(Poll.POLLOUT, Ops.READABLE));
    assertEquals(
        Ops.READABLE | Ops.READ_CLOSED, Readiness.translate(Poll.POLLIN | Poll.POLLRDHUP, rw));
    assertEquals(
        Ops.READABLE | Ops.READ_CLOSED | Ops.WRITE_CLOSED,
        Readiness.translate(Poll.POLLHUP, Ops.READABLE));
    assertEquals(
        Ops.WRITABLE | Ops.ERROR | Ops.WRITE_CLOSED,
        Readiness.translate(Poll.POLLERR, Ops.WRITABLE));
    assertEquals(Ops.PRIORITY, Readiness.translate(Poll.POLLPRI, Ops.PRIORITY));
    // A hang-up is reported even when only priority is armed: never a silent loss.
    assertEquals(
        Ops.READ_CLOSED | Ops.WRITE_CLOSED, Readiness.translate(Poll.POLLHUP, Ops.PRIORITY));
  }
}
