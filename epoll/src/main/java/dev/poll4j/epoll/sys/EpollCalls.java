package dev.poll4j.epoll.sys;

import dev.poll4j.internal.posix.sys.NativeBinding;
import java.lang.invoke.MethodHandles;

/**
 * The epoll calls of every poll and every registration change. Two implementations, picked once
 * by {@link NativeBinding}: {@link JnaEpollCalls} on every JDK, and {@code FfmEpollCalls}
 * (release 22, in the jar's {@code META-INF/versions/22}) on JDK 22+.
 *
 * <p>Contract, the same for both: a result {@code >= 0} is the call's own; a failed call returns
 * {@code -errno}. Arguments are those of {@link Epoll} and {@link EpollPwait2}, addresses as
 * {@code long}. {@code epoll_create1} and {@code eventfd}, made once per selector, stay in those
 * classes.
 */
public interface EpollCalls {
  /** The implementation for this JVM. */
  EpollCalls CURRENT =
      NativeBinding.pick(
          MethodHandles.lookup(),
          EpollCalls.class,
          "dev.poll4j.epoll.sys.FfmEpollCalls",
          JnaEpollCalls::new);

  /**
   * Which binding this is.
   *
   * @return {@link NativeBinding#FFM} or {@link NativeBinding#JNA}
   */
  String binding();

  /**
   * {@code epoll_ctl}, as {@link Epoll#epoll_ctl}.
   *
   * @param epfd the epoll descriptor
   * @param op {@code EPOLL_CTL_ADD}, {@code MOD} or {@code DEL}
   * @param fd the target descriptor
   * @param event address of one {@code struct epoll_event}; 0 for DEL
   * @return 0, or {@code -errno}
   */
  int epollCtl(int epfd, int op, int fd, long event);

  /**
   * {@code epoll_wait}, as {@link Epoll#epoll_wait}.
   *
   * @param epfd the epoll descriptor
   * @param events address of the event array
   * @param maxevents its length
   * @param timeout milliseconds; -1 waits forever
   * @return the number of events, or {@code -errno}
   */
  int epollWait(int epfd, long events, int maxevents, int timeout);

  /**
   * {@code epoll_pwait2}, as {@link EpollPwait2#epoll_pwait2}; only call this when {@link
   * #hasPwait2()} is true.
   *
   * @param epfd the epoll descriptor
   * @param events address of the event array
   * @param maxevents its length
   * @param timeout address of a {@code struct timespec}, or 0 to wait forever
   * @return the number of events, or {@code -errno}
   */
  int epollPwait2(int epfd, long events, int maxevents, long timeout);

  /**
   * Whether the C library has {@code epoll_pwait2} (the kernel may still refuse it).
   *
   * @return true if {@link #epollPwait2} may be called
   */
  boolean hasPwait2();
}
