package dev.poll4j.epoll.sys;

import dev.poll4j.internal.posix.sys.EpollCalls;
import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.NativeBinding;

/** {@link EpollCalls} through the JNA natives of {@link Epoll} and {@link EpollPwait2}. */
final class JnaEpollCalls implements EpollCalls {
  JnaEpollCalls() {}

  @Override
  public String binding() {
    return NativeBinding.JNA;
  }

  @Override
  public int epollCtl(int epfd, int op, int fd, long event) {
    return Epoll.epoll_ctl(epfd, op, fd, event) < 0 ? -Errno.errno() : 0;
  }

  @Override
  public int epollWait(int epfd, long events, int maxevents, int timeout) {
    int rc = Epoll.epoll_wait(epfd, events, maxevents, timeout);
    return rc < 0 ? -Errno.errno() : rc;
  }

  @Override
  public int epollPwait2(int epfd, long events, int maxevents, long timeout) {
    int rc = EpollPwait2.epoll_pwait2(epfd, events, maxevents, timeout, 0);
    return rc < 0 ? -Errno.errno() : rc;
  }

  @Override
  public boolean hasEpoll() {
    return true; // this class loads only where Epoll's natives bound
  }

  @Override
  public boolean hasPwait2() {
    return EpollPwait2.isBound();
  }
}
