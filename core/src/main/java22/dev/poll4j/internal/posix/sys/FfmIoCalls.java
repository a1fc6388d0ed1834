package dev.poll4j.internal.posix.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@link IoCalls} and {@link EpollCalls} through the Foreign Function &amp; Memory API (JDK 22+).
 * Compiled with release 22 into {@code META-INF/versions/22}; {@link NativeBinding} finds it by
 * name.
 *
 * <p>Every handle captures {@code errno} right after the call ({@code captureCallState}), into a
 * segment of the calling thread: the JVM may make system calls of its own before Java code runs
 * again, so errno cannot be read afterwards. A failed call returns {@code -errno}. Pointers and
 * {@code size_t} are passed as {@code long}, which is the same in registers on every 64-bit ABI
 * poll4j supports; the constructor refuses a 32-bit JVM.
 *
 * <p><b>Why the handles are not {@code final}.</b> A downcall that captures errno makes a fresh
 * 40-byte slice of the capture segment each time (the JDK checks the segment that way). The JIT's
 * escape analysis removes that allocation only when the whole downcall, about eight frames of
 * method-handle code, is inlined into one compilation within C2's inlining depth ({@code
 * MaxInlineLevel}, 15) of its root. With {@code static final} handles the downcall is inlined
 * into its caller, and inlined into a deep caller, such as a server loop several frames above a
 * poll, the chain is cut and every call allocates: 40 B per call was measured that way. A handle
 * in a non-final field is not a constant to the JIT, so it never inlines the downcall into a
 * caller; it calls the handle's own code instead, which the JDK specializes to that handle after
 * about a hundred calls (lambda-form customization) and C2 compiles as a root of its own, with the
 * whole chain inside it. No call then allocates, however deep the caller. The price is one call
 * the JIT cannot inline: {@code epoll_wait} through poll4j measured about 30 ns above a bare FFM
 * call (183 against 154 ns), while a failing {@code read} ten frames deep, which allocated with
 * {@code final} handles, got faster (174 against 186 ns). Nothing assigns the fields after class
 * initialization. {@code DowncallDepthAllocationTest} (integration tests) calls from 15 depths to
 * keep this true; with {@code final} handles it failed every run, with 17 to 780 KB per 10,000
 * calls at depths 1 to 7.
 *
 * <p>The epoll functions are looked up only where the C library has them (Linux); {@code
 * epoll_pwait2} on its own, since glibc before 2.35 lacks it.
 */
@SuppressWarnings("restricted") // Linker.downcallHandle: native access is the module's to grant
public final class FfmIoCalls implements IoCalls, EpollCalls {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout STATE = Linker.Option.captureStateLayout();
  private static final long ERRNO_OFFSET =
      STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

  // One capture segment per thread, made on its first call and freed with the thread.
  private static final ThreadLocal<MemorySegment> CALL_STATE =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(STATE));

  // ssize_t f(int, void *, size_t)
  private static final FunctionDescriptor RW =
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
  // ssize_t f(int, void *, size_t, int)
  private static final FunctionDescriptor RW_FLAGS =
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
  // ssize_t f(int, struct msghdr *, int)
  private static final FunctionDescriptor MSG =
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);

  // The handles are not final, on purpose (see the class comment); only class init assigns them.
  private static MethodHandle readHandle = required("read", RW);
  private static MethodHandle writeHandle = required("write", RW);
  private static MethodHandle recvHandle = required("recv", RW_FLAGS);
  private static MethodHandle sendHandle = required("send", RW_FLAGS);
  private static MethodHandle recvfromHandle =
      required(
          "recvfrom",
          FunctionDescriptor.of(
              JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
  private static MethodHandle sendtoHandle =
      required(
          "sendto",
          FunctionDescriptor.of(
              JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
  private static MethodHandle recvmsgHandle = required("recvmsg", MSG);
  private static MethodHandle sendmsgHandle = required("sendmsg", MSG);
  // int poll(struct pollfd *, nfds_t, int)
  private static MethodHandle pollHandle =
      required("poll", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
  // int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)
  private static MethodHandle epollCtlHandle =
      optional(
          "epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
  // int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)
  private static MethodHandle epollWaitHandle =
      optional(
          "epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
  // int epoll_pwait2(int epfd, struct epoll_event *events, int maxevents,
  //                  const struct timespec *timeout, const sigset_t *sigmask)
  private static MethodHandle epollPwait2Handle =
      optional(
          "epoll_pwait2",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));

  /**
   * Links every call (the handles are made when the class initializes).
   *
   * @throws UnsupportedOperationException on a 32-bit JVM
   */
  public FfmIoCalls() {
    if (ValueLayout.ADDRESS.byteSize() != 8) {
      throw new UnsupportedOperationException("the FFM binding passes pointers as 64-bit longs");
    }
  }

  private static MethodHandle optional(String name, FunctionDescriptor signature) {
    return LINKER
        .defaultLookup()
        .find(name)
        .map(symbol -> LINKER.downcallHandle(symbol, signature, ERRNO))
        .orElse(null);
  }

  private static MethodHandle required(String name, FunctionDescriptor signature) {
    MethodHandle h = optional(name, signature);
    if (h == null) {
      throw new UnsatisfiedLinkError("no " + name + " in the C library");
    }
    return h;
  }

  private static long result(long rc, MemorySegment state) {
    return rc < 0 ? -state.get(JAVA_INT, ERRNO_OFFSET) : rc;
  }

  private static int result(int rc, MemorySegment state) {
    return rc < 0 ? -state.get(JAVA_INT, ERRNO_OFFSET) : rc;
  }

  // invokeExact declares Throwable; a downcall throws nothing checked, only the JVM's own Errors.
  private static Error unexpected(Throwable t) {
    return t instanceof Error e ? e : new AssertionError("native call threw", t);
  }

  private static UnsupportedOperationException missing(String name) {
    return new UnsupportedOperationException("the C library has no " + name);
  }

  @Override
  public String binding() {
    return NativeBinding.FFM;
  }

  @Override
  public boolean hasEpoll() {
    return epollCtlHandle != null && epollWaitHandle != null;
  }

  @Override
  public long read(int fd, long buf, long count) {
    MemorySegment st = CALL_STATE.get();
    try {
      return result((long) readHandle.invokeExact(st, fd, buf, count), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public long write(int fd, long buf, long count) {
    MemorySegment st = CALL_STATE.get();
    try {
      return result((long) writeHandle.invokeExact(st, fd, buf, count), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public long recv(int fd, long buf, long len, int flags) {
    MemorySegment st = CALL_STATE.get();
    try {
      return result((long) recvHandle.invokeExact(st, fd, buf, len, flags), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public long send(int fd, long buf, long len, int flags) {
    MemorySegment st = CALL_STATE.get();
    try {
      return result((long) sendHandle.invokeExact(st, fd, buf, len, flags), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public long recvfrom(int fd, long buf, long len, int flags, long addr, long addrlen) {
    MemorySegment st = CALL_STATE.get();
    try {
      return result((long) recvfromHandle.invokeExact(st, fd, buf, len, flags, addr, addrlen), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public long sendto(int fd, long buf, long len, int flags, long addr, int addrlen) {
    MemorySegment st = CALL_STATE.get();
    try {
      return result((long) sendtoHandle.invokeExact(st, fd, buf, len, flags, addr, addrlen), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public long recvmsg(int fd, long msg, int flags) {
    MemorySegment st = CALL_STATE.get();
    try {
      return result((long) recvmsgHandle.invokeExact(st, fd, msg, flags), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public long sendmsg(int fd, long msg, int flags) {
    MemorySegment st = CALL_STATE.get();
    try {
      return result((long) sendmsgHandle.invokeExact(st, fd, msg, flags), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public int poll(long fds, long nfds, int timeout) {
    MemorySegment st = CALL_STATE.get();
    try {
      return result((int) pollHandle.invokeExact(st, fds, nfds, timeout), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public int epollCtl(int epfd, int op, int fd, long event) {
    if (epollCtlHandle == null) {
      throw missing("epoll_ctl");
    }
    MemorySegment st = CALL_STATE.get();
    try {
      return result((int) epollCtlHandle.invokeExact(st, epfd, op, fd, event), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public int epollWait(int epfd, long events, int maxevents, int timeout) {
    if (epollWaitHandle == null) {
      throw missing("epoll_wait");
    }
    MemorySegment st = CALL_STATE.get();
    try {
      return result((int) epollWaitHandle.invokeExact(st, epfd, events, maxevents, timeout), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public int epollPwait2(int epfd, long events, int maxevents, long timeout) {
    if (epollPwait2Handle == null) {
      throw missing("epoll_pwait2");
    }
    MemorySegment st = CALL_STATE.get();
    try {
      int rc = (int) epollPwait2Handle.invokeExact(st, epfd, events, maxevents, timeout, 0L);
      return result(rc, st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public boolean hasPwait2() {
    return epollPwait2Handle != null;
  }
}
