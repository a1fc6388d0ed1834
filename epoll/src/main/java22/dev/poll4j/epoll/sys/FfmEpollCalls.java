package dev.poll4j.epoll.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.poll4j.internal.posix.sys.NativeBinding;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * {@link EpollCalls} through the Foreign Function &amp; Memory API (JDK 22+). Compiled with
 * release 22 into {@code META-INF/versions/22}; {@link NativeBinding} finds it by name.
 *
 * <p>As in core's {@code FfmIoCalls}: errno is captured right after each call into a segment of
 * the calling thread, a failed call returns {@code -errno}, addresses are passed as {@code long}
 * (64-bit JVMs only), and the handles are {@code static final} so that the JIT inlines them.
 * {@code epoll_pwait2} is looked up on its own: a C library without it (glibc before 2.35) leaves
 * {@link #hasPwait2()} false and the rest working.
 */
@SuppressWarnings("restricted") // Linker.downcallHandle: native access is the module's to grant
public final class FfmEpollCalls implements EpollCalls {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout STATE = Linker.Option.captureStateLayout();
  private static final long ERRNO_OFFSET =
      STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

  // One capture segment per thread, made on its first call and freed with the thread.
  private static final ThreadLocal<MemorySegment> CALL_STATE =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(STATE));

  // int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)
  private static final MethodHandle EPOLL_CTL =
      handle(
          "epoll_ctl",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG))
          .orElseThrow(() -> new UnsatisfiedLinkError("no epoll_ctl in the C library"));
  // int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)
  private static final MethodHandle EPOLL_WAIT =
      handle(
          "epoll_wait",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT))
          .orElseThrow(() -> new UnsatisfiedLinkError("no epoll_wait in the C library"));
  // int epoll_pwait2(int epfd, struct epoll_event *events, int maxevents,
  //                  const struct timespec *timeout, const sigset_t *sigmask)
  private static final MethodHandle EPOLL_PWAIT2 =
      handle(
          "epoll_pwait2",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG))
          .orElse(null);

  /**
   * Links the calls (the handles are made when the class initializes).
   *
   * @throws UnsupportedOperationException on a 32-bit JVM
   */
  public FfmEpollCalls() {
    if (ValueLayout.ADDRESS.byteSize() != 8) {
      throw new UnsupportedOperationException("the FFM binding passes pointers as 64-bit longs");
    }
  }

  private static Optional<MethodHandle> handle(String name, FunctionDescriptor signature) {
    return LINKER
        .defaultLookup()
        .find(name)
        .map(symbol -> LINKER.downcallHandle(symbol, signature, ERRNO));
  }

  private static int result(int rc, MemorySegment state) {
    return rc < 0 ? -state.get(JAVA_INT, ERRNO_OFFSET) : rc;
  }

  // A Throwable from invokeExact here can only be an Error of the JVM's own.
  private static Error unexpected(Throwable t) {
    return t instanceof Error e ? e : new AssertionError("native call threw", t);
  }

  @Override
  public String binding() {
    return NativeBinding.FFM;
  }

  @Override
  public int epollCtl(int epfd, int op, int fd, long event) {
    MemorySegment st = CALL_STATE.get();
    try {
      return result((int) EPOLL_CTL.invokeExact(st, epfd, op, fd, event), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public int epollWait(int epfd, long events, int maxevents, int timeout) {
    MemorySegment st = CALL_STATE.get();
    try {
      return result((int) EPOLL_WAIT.invokeExact(st, epfd, events, maxevents, timeout), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public int epollPwait2(int epfd, long events, int maxevents, long timeout) {
    if (EPOLL_PWAIT2 == null) {
      throw new UnsupportedOperationException("the C library has no epoll_pwait2");
    }
    MemorySegment st = CALL_STATE.get();
    try {
      return result((int) EPOLL_PWAIT2.invokeExact(st, epfd, events, maxevents, timeout, 0L), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public boolean hasPwait2() {
    return EPOLL_PWAIT2 != null;
  }
}
