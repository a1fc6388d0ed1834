package dev.poll4j.benchmarks;

/**
 * One binding of {@code int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int
 * timeout)}, so that {@link EpollWaitBenchmark} can compare bindings of the very same call.
 *
 * <p>The Foreign Function &amp; Memory bindings ({@code FfmEpollWait}) are compiled from {@code
 * src/main/java22} by the {@code ffm} Maven profile, which turns on when Maven runs on JDK 22 or
 * later; the rest of the benchmarks stay {@code --release 17}. {@link #load} finds them at run time.
 */
public interface EpollWaitCall {
  /** The class that holds the FFM bindings, compiled only by a JDK 22+ build. */
  String FFM_CLASS = "dev.poll4j.benchmarks.FfmEpollWait";

  /**
   * Calls {@code epoll_wait}.
   *
   * @param epfd the epoll descriptor
   * @param events address of an array of {@code maxevents} {@code struct epoll_event}
   * @param maxevents the array's length
   * @param timeout milliseconds: 0 here, the benchmark never blocks
   * @return the number of events, or -1 on error
   */
  int epollWait(int epfd, long events, int maxevents, int timeout);

  /**
   * Loads an FFM binding.
   *
   * @param variant {@code plain}; {@code critical} ({@code Linker.Option.critical(false)}: no
   *     thread-state transition, only fit for calls that never block, such as a zero timeout); or
   *     {@code errno} ({@code Linker.Option.captureCallState("errno")}, what a real binding needs)
   * @return the binding
   * @throws IllegalStateException if this JVM is older than 22, or the jar was built by an older
   *     JDK (so {@code src/main/java22} was not compiled)
   */
  static EpollWaitCall load(String variant) {
    if (Runtime.version().feature() < 22) {
      throw new IllegalStateException("FFM needs JDK 22+; this is " + Runtime.version());
    }
    try {
      return (EpollWaitCall)
          Class.forName(FFM_CLASS).getConstructor(String.class).newInstance(variant);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          FFM_CLASS + " is not in the jar: build the benchmarks with JDK 22+ (profile ffm)", e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + FFM_CLASS, e);
    }
  }
}
