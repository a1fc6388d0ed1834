package dev.poll4j.epoll.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Constant values against reference/abi.md C.2 (glibc 2.36 and uapi 6.1 headers). */
class EpollConstantsTest {
  @Test
  void eventBitsMatchTheHeaders() {
    assertEquals(0x001, Epoll.EPOLLIN);
    assertEquals(0x002, Epoll.EPOLLPRI);
    assertEquals(0x004, Epoll.EPOLLOUT);
    assertEquals(0x008, Epoll.EPOLLERR);
    assertEquals(0x010, Epoll.EPOLLHUP);
    assertEquals(0x020, Epoll.EPOLLNVAL);
    assertEquals(0x040, Epoll.EPOLLRDNORM);
    assertEquals(0x080, Epoll.EPOLLRDBAND);
    assertEquals(0x100, Epoll.EPOLLWRNORM);
    assertEquals(0x200, Epoll.EPOLLWRBAND);
    assertEquals(0x400, Epoll.EPOLLMSG);
    assertEquals(0x2000, Epoll.EPOLLRDHUP);
    assertEquals(1 << 27, Epoll.EPOLL_URING_WAKE);
    assertEquals(0x10000000, Epoll.EPOLLEXCLUSIVE);
    assertEquals(0x20000000, Epoll.EPOLLWAKEUP);
    assertEquals(0x40000000, Epoll.EPOLLONESHOT);
    assertEquals(0x80000000, Epoll.EPOLLET);
  }

  @Test
  void ctlOperationsMatchTheHeaders() {
    assertEquals(1, Epoll.EPOLL_CTL_ADD);
    assertEquals(2, Epoll.EPOLL_CTL_DEL);
    assertEquals(3, Epoll.EPOLL_CTL_MOD);
  }

  @Test
  void createAndEventfdFlagsMatchTheHeaders() {
    assertEquals(0x80000, Epoll.EPOLL_CLOEXEC);
    assertEquals(0x80000, Eventfd.EFD_CLOEXEC);
    assertEquals(0x800, Eventfd.EFD_NONBLOCK);
    assertEquals(1, Eventfd.EFD_SEMAPHORE);
    assertEquals(8, Eventfd.VALUE_SIZE);
  }

  @Test
  void timespecIsTwo64BitFields() {
    assertEquals(16, EpollPwait2.SIZEOF_TIMESPEC);
    assertEquals(0, EpollPwait2.OFFSET_TV_SEC);
    assertEquals(8, EpollPwait2.OFFSET_TV_NSEC);
  }
}
