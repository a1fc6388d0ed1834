package dev.poll4j.internal.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.poll4j.internal.posix.sys.Poll;
import dev.poll4j.spi.Ops;
import org.junit.jupiter.api.Test;

class PollSelectorTest {
  @Test
  void subMillisecondTimeoutsRoundUpNeverDownToZero() {
    assertEquals(0, PollSelector.toMillis(0));
    assertEquals(1, PollSelector.toMillis(1));
    assertEquals(1, PollSelector.toMillis(999_999));
    assertEquals(1, PollSelector.toMillis(1_000_000));
    assertEquals(2, PollSelector.toMillis(1_000_001));
    assertEquals(-1, PollSelector.toMillis(-1));
    assertEquals(Integer.MAX_VALUE, PollSelector.toMillis(Long.MAX_VALUE));
  }

  @Test
  void reventsAreLimitedToArmedInterestPlusErrorAndClosedBits() {
    int rw = Ops.READABLE | Ops.WRITABLE;
    assertEquals(Ops.READABLE, PollSelector.translate(Poll.POLLIN, rw));
    assertEquals(0, PollSelector.translate(Poll.POLLOUT, Ops.READABLE));
    assertEquals(
        Ops.READABLE | Ops.READ_CLOSED, PollSelector.translate(Poll.POLLIN | Poll.POLLRDHUP, rw));
    assertEquals(
        Ops.READABLE | Ops.READ_CLOSED | Ops.WRITE_CLOSED,
        PollSelector.translate(Poll.POLLHUP, Ops.READABLE));
    assertEquals(
        Ops.WRITABLE | Ops.ERROR | Ops.WRITE_CLOSED,
        PollSelector.translate(Poll.POLLERR, Ops.WRITABLE));
    assertEquals(Ops.PRIORITY, PollSelector.translate(Poll.POLLPRI, Ops.PRIORITY));
    // A hang-up is reported even when only priority is armed: never a silent loss.
    assertEquals(
        Ops.READ_CLOSED | Ops.WRITE_CLOSED, PollSelector.translate(Poll.POLLHUP, Ops.PRIORITY));
  }
}
