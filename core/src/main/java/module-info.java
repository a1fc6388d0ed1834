/**
 * poll4j core: the API ({@code dev.poll4j}), the backend contract ({@code dev.poll4j.spi}), the
 * backend loader, the POSIX plumbing, the Winsock socket calls ({@code dev.poll4j.internal.windows})
 * and the portable poll(2) backend.
 */
// "module": the qualified exports name backend modules that are compiled after this one.
@SuppressWarnings("module")
module dev.poll4j {
  requires com.sun.jna;

  exports dev.poll4j;
  exports dev.poll4j.net;
  exports dev.poll4j.spi;
  exports dev.poll4j.internal.posix to
      dev.poll4j.epoll,
      dev.poll4j.kqueue;
  exports dev.poll4j.internal.posix.sys to
      dev.poll4j.epoll,
      dev.poll4j.kqueue;
  exports dev.poll4j.internal.windows to
      dev.poll4j.iocp;
  exports dev.poll4j.internal.windows.sys to
      dev.poll4j.iocp;

  uses dev.poll4j.spi.Backend;

  provides dev.poll4j.spi.Backend with
      dev.poll4j.internal.poll.PollBackend;
}
