package dev.poll4j.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code epoll_wait} through the Foreign Function &amp; Memory API (JDK 22+), for {@link
 * EpollWaitBenchmark}: a prototype of the binding issue 7 allows, not used by poll4j itself.
 * Compiled from {@code src/main/java22} by the {@code ffm} profile only.
 */
@SuppressWarnings("restricted") // Linker.downcallHandle: the forks run with native access enabled
public final class FfmEpollWait implements EpollWaitCall {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final FunctionDescriptor SIGNATURE =
      FunctionDescriptor.of(
          ValueLayout.JAVA_INT,
          ValueLayout.JAVA_INT,
          ValueLayout.JAVA_LONG,
          ValueLayout.JAVA_INT,
          ValueLayout.JAVA_INT);
  // static final, so the JIT sees a constant handle and inlines the downcall
  private static final MethodHandle PLAIN =
      LINKER.downcallHandle(LINKER.defaultLookup().find("epoll_wait").orElseThrow(), SIGNATURE);
  private static final MethodHandle CRITICAL =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("epoll_wait").orElseThrow(),
          SIGNATURE,
          Linker.Option.critical(false));
  // What a real binding needs: errno saved right after the call, into a segment passed first.
  private static final MethodHandle ERRNO =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("epoll_wait").orElseThrow(),
          SIGNATURE,
          Linker.Option.captureCallState("errno"));

  // 0 plain, 1 critical, 2 errno captured
  private final int variant;
  // Where ERRNO stores errno: allocated once, as a binding would per thread.
  private final MemorySegment callState =
      Arena.ofAuto().allocate(Linker.Option.captureStateLayout());

  /**
   * Creates the binding.
   *
   * @param variant {@code plain}, {@code critical} (no thread-state transition) or {@code errno}
   *     (errno captured, as a real binding needs)
   */
  public FfmEpollWait(String variant) {
    switch (variant) {
      case "plain" -> this.variant = 0;
      case "critical" -> this.variant = 1;
      case "errno" -> this.variant = 2;
      default -> throw new IllegalArgumentException("unknown variant: " + variant);
    }
  }

  @Override
  public int epollWait(int epfd, long events, int maxevents, int timeout) {
    try {
      return switch (variant) {
        case 0 -> (int) PLAIN.invokeExact(epfd, events, maxevents, timeout);
        case 1 -> (int) CRITICAL.invokeExact(epfd, events, maxevents, timeout);
        default -> (int) ERRNO.invokeExact(callState, epfd, events, maxevents, timeout);
      };
    } catch (Throwable t) {
      throw new IllegalStateException("epoll_wait downcall failed", t);
    }
  }
}
