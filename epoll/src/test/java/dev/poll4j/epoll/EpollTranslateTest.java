package dev.poll4j.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.poll4j.Mode;
import dev.poll4j.epoll.sys.Epoll;
import dev.poll4j.internal.posix.Readiness;
import dev.poll4j.internal.posix.sys.Poll;
import dev.poll4j.spi.Ops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Interest to epoll bits, and epoll bits to readiness with the poll(2) backend's semantics. */
@EnabledOnOs(
    value = OS.LINUX,
    disabledReason = "compares epoll's bits with Linux's poll(2) bits (POLLRDHUP)")
class EpollTranslateTest {
  private static final int[] EVENT_BITS = {
    Epoll.EPOLLIN, Epoll.EPOLLPRI, Epoll.EPOLLOUT, Epoll.EPOLLERR, Epoll.EPOLLHUP, Epoll.EPOLLRDHUP
  };

  @Test
  void epollBitsEqualTheSharedPosixBitsSoOneTranslationServesBothBackends() {
    // Readiness.translate is shared with the poll(2) backend; it is only right for epoll if the
    // EPOLL* bits have the POLL* values it is written with.
    assertEquals(Readiness.IN, Epoll.EPOLLIN);
    assertEquals(Readiness.PRI, Epoll.EPOLLPRI);
    assertEquals(Readiness.OUT, Epoll.EPOLLOUT);
    assertEquals(Readiness.ERR, Epoll.EPOLLERR);
    assertEquals(Readiness.HUP, Epoll.EPOLLHUP);
    assertEquals(Readiness.RDHUP, Epoll.EPOLLRDHUP);
    assertEquals(Poll.POLLIN, Epoll.EPOLLIN);
    assertEquals(Poll.POLLRDHUP, Epoll.EPOLLRDHUP);
  }

  @Test
  void bareHangUpOfAReaderIsReadableAndClosed() {
    assertEquals(
        Ops.READABLE | Ops.READ_CLOSED | Ops.WRITE_CLOSED,
        Readiness.translate(Epoll.EPOLLHUP, Ops.READABLE));
  }

  @Test
  void errorOfAWriterIsWritableErrorAndWriteClosed() {
    assertEquals(
        Ops.WRITABLE | Ops.ERROR | Ops.WRITE_CLOSED,
        Readiness.translate(Epoll.EPOLLOUT | Epoll.EPOLLERR, Ops.WRITABLE));
  }

  @Test
  void peerShutdownIsReadableAndReadClosedOnly() {
    assertEquals(
        Ops.READABLE | Ops.READ_CLOSED,
        Readiness.translate(Epoll.EPOLLIN | Epoll.EPOLLRDHUP, Ops.READABLE));
  }

  @Test
  void priorityDataIsPriorityOnly() {
    assertEquals(Ops.PRIORITY, Readiness.translate(Epoll.EPOLLPRI, Ops.PRIORITY));
  }

  @Test
  void eventWithHangUpOrErrorIsNeverDroppedWhateverTheInterest() {
    for (int interest = 1; interest <= Ops.ALL_INTEREST; interest++) {
      assertNotEquals(0, Readiness.translate(Epoll.EPOLLHUP, interest));
      assertNotEquals(0, Readiness.translate(Epoll.EPOLLERR, interest));
    }
    assertEquals(
        Ops.ERROR | Ops.WRITE_CLOSED, Readiness.translate(Epoll.EPOLLERR, Ops.PRIORITY));
  }

  @Test
  void readinessOutsideTheInterestIsDropped() {
    assertEquals(0, Readiness.translate(Epoll.EPOLLOUT, Ops.READABLE));
    assertEquals(0, Readiness.translate(Epoll.EPOLLIN, Ops.WRITABLE));
    assertEquals(0, Readiness.translate(0, Ops.ALL_INTEREST));
  }

  @Test
  void interestMapsLikeMio() {
    assertEquals(
        Epoll.EPOLLIN | Epoll.EPOLLRDHUP, EpollSelector.epollEvents(Ops.READABLE, Mode.LEVEL));
    assertEquals(Epoll.EPOLLOUT, EpollSelector.epollEvents(Ops.WRITABLE, Mode.LEVEL));
    assertEquals(Epoll.EPOLLPRI, EpollSelector.epollEvents(Ops.PRIORITY, Mode.LEVEL));
    assertEquals(
        Epoll.EPOLLIN | Epoll.EPOLLRDHUP | Epoll.EPOLLOUT | Epoll.EPOLLPRI,
        EpollSelector.epollEvents(Ops.ALL_INTEREST, Mode.LEVEL));
  }

  @Test
  void modeMapsToEdgeOneshotOrNothing() {
    assertEquals(Epoll.EPOLLOUT | Epoll.EPOLLET, EpollSelector.epollEvents(Ops.WRITABLE, Mode.EDGE));
    assertEquals(
        Epoll.EPOLLOUT | Epoll.EPOLLONESHOT, EpollSelector.epollEvents(Ops.WRITABLE, Mode.ONESHOT));
    assertEquals(Epoll.EPOLLOUT, EpollSelector.epollEvents(Ops.WRITABLE, Mode.LEVEL));
  }
}
