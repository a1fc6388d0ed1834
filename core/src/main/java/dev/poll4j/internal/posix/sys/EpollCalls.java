package dev.poll4j.internal.posix.sys;

/**
 * The epoll calls of every poll and every registration change (Linux). Declared here, beside
 * {@link IoCalls}, because one class, {@code FfmIoCalls}, is the FFM implementation of both (it
 * holds all of poll4j's FFM downcalls, so the errno capture is set up once). The JNA
 * implementation lives in poll4j-epoll with the rest of its epoll natives; that module picks with
 * {@link NativeBinding#epoll}.
 *
 * <p>Contract, the same for both: a result {@code >= 0} is the call's own; a failed call returns
 * {@code -errno}; addresses are passed as {@code long}. {@code epoll_create1} and {@code
 * eventfd}, made once per selector, are not here.
 */
public interface EpollCalls {
  /**
   * Which binding this is.
   *
   * @return {@link NativeBinding#FFM} or {@link NativeBinding#JNA}
   */
  String binding();

  /**
   * {@code epoll_ctl(2)}.
   *
   * @param epfd the epoll descriptor
   * @param op {@code EPOLL_CTL_ADD}, {@code MOD} or {@code DEL}
   * @param fd the target descriptor
   * @param event address of one {@code struct epoll_event}; 0 for DEL
   * @return 0, or {@code -errno}
   */
  int epollCtl(int epfd, int op, int fd, long event);

  /**
   * {@code epoll_wait(2)}.
   *
   * @param epfd the epoll descriptor
   * @param events address of the event array
   * @param maxevents its length
   * @param timeout milliseconds; -1 waits forever
   * @return the number of events, or {@code -errno}
   */
  int epollWait(int epfd, long events, int maxevents, int timeout);

  /**
   * {@code epoll_pwait2(2)} with no signal mask; only call this when {@link #hasPwait2()} is true.
   *
   * @param epfd the epoll descriptor
   * @param events address of the event array
   * @param maxevents its length
   * @param timeout address of a {@code struct timespec}, or 0 to wait forever
   * @return the number of events, or {@code -errno}
   */
  int epollPwait2(int epfd, long events, int maxevents, long timeout);

  /**
   * Whether the C library has {@code epoll_ctl} and {@code epoll_wait} (Linux).
   *
   * @return true if the other calls may be made
   */
  boolean hasEpoll();

  /**
   * Whether the C library has {@code epoll_pwait2} (the kernel may still refuse it).
   *
   * @return true if {@link #epollPwait2} may be called
   */
  boolean hasPwait2();
}
