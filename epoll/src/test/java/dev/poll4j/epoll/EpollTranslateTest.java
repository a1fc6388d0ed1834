package dev.poll4j.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.poll4j.Mode;
import dev.poll4j.epoll.sys.Epoll;
import dev.poll4j.spi.Ops;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** Interest to epoll bits, and epoll bits to readiness with the poll(2) backend's semantics. */
class EpollTranslateTest {
  private static final int[] EVENT_BITS = {
    Epoll.EPOLLIN, Epoll.EPOLLPRI, Epoll.EPOLLOUT, Epoll.EPOLLERR, Epoll.EPOLLHUP, Epoll.EPOLLRDHUP
  };

  @Test
  void translationIsIdenticalToThePollBackendForEveryEventAndInterest() throws Exception {
    // poll(2) and epoll share the values of IN, PRI, OUT, ERR, HUP and RDHUP, so the poll
    // backend's translate(revents, armed) is the reference for every combination.
    Class<?> pollSelector = Class.forName("dev.poll4j.internal.poll.PollSelector");
    Method reference = pollSelector.getDeclaredMethod("translate", int.class, int.class);
    reference.setAccessible(true); // opened to this module by the surefire configuration
    for (int combo = 0; combo < 1 << EVENT_BITS.length; combo++) {
      int ev = 0;
      for (int b = 0; b < EVENT_BITS.length; b++) {
        if ((combo & 1 << b) != 0) {
          ev |= EVENT_BITS[b];
        }
      }
      for (int interest = 1; interest <= Ops.ALL_INTEREST; interest++) {
        int expected = (Integer) reference.invoke(null, ev, interest);
        assertEquals(
            expected,
            EpollSelector.translate(ev, interest),
            "events 0x" + Integer.toHexString(ev) + ", interest " + Ops.toString(interest));
      }
    }
  }

  @Test
  void bareHangUpOfAReaderIsReadableAndClosed() {
    assertEquals(
        Ops.READABLE | Ops.READ_CLOSED | Ops.WRITE_CLOSED,
        EpollSelector.translate(Epoll.EPOLLHUP, Ops.READABLE));
  }

  @Test
  void errorOfAWriterIsWritableErrorAndWriteClosed() {
    assertEquals(
        Ops.WRITABLE | Ops.ERROR | Ops.WRITE_CLOSED,
        EpollSelector.translate(Epoll.EPOLLOUT | Epoll.EPOLLERR, Ops.WRITABLE));
  }

  @Test
  void peerShutdownIsReadableAndReadClosedOnly() {
    assertEquals(
        Ops.READABLE | Ops.READ_CLOSED,
        EpollSelector.translate(Epoll.EPOLLIN | Epoll.EPOLLRDHUP, Ops.READABLE));
  }

  @Test
  void priorityDataIsPriorityOnly() {
    assertEquals(Ops.PRIORITY, EpollSelector.translate(Epoll.EPOLLPRI, Ops.PRIORITY));
  }

  @Test
  void eventWithHangUpOrErrorIsNeverDroppedWhateverTheInterest() {
    for (int interest = 1; interest <= Ops.ALL_INTEREST; interest++) {
      assertNotEquals(0, EpollSelector.translate(Epoll.EPOLLHUP, interest));
      assertNotEquals(0, EpollSelector.translate(Epoll.EPOLLERR, interest));
    }
    assertEquals(
        Ops.ERROR | Ops.WRITE_CLOSED, EpollSelector.translate(Epoll.EPOLLERR, Ops.PRIORITY));
  }

  @Test
  void readinessOutsideTheInterestIsDropped() {
    assertEquals(0, EpollSelector.translate(Epoll.EPOLLOUT, Ops.READABLE));
    assertEquals(0, EpollSelector.translate(Epoll.EPOLLIN, Ops.WRITABLE));
    assertEquals(0, EpollSelector.translate(0, Ops.ALL_INTEREST));
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
