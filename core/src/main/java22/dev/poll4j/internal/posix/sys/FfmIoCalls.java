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
 * {@link IoCalls} through the Foreign Function &amp; Memory API (JDK 22+). Compiled with release
 * 22 into {@code META-INF/versions/22}; {@link NativeBinding} finds it by name.
 *
 * <p>Every handle captures {@code errno} right after the call ({@code captureCallState}), into a
 * segment of the calling thread: the JVM may make system calls of its own before Java code runs
 * again, so errno cannot be read afterwards. A failed call returns {@code -errno}. Pointers and
 * {@code size_t} are passed as {@code long}, which is the same in registers on every 64-bit ABI
 * poll4j supports; the constructor refuses a 32-bit JVM. The handles are {@code static final},
 * so the JIT inlines each downcall into its caller.
 */
@SuppressWarnings("restricted") // Linker.downcallHandle: native access is the module's to grant
public final class FfmIoCalls implements IoCalls {
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

  private static final MethodHandle READ = handle("read", RW);
  private static final MethodHandle WRITE = handle("write", RW);
  private static final MethodHandle RECV = handle("recv", RW_FLAGS);
  private static final MethodHandle SEND = handle("send", RW_FLAGS);
  private static final MethodHandle RECVFROM =
      handle(
          "recvfrom",
          FunctionDescriptor.of(
              JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
  private static final MethodHandle SENDTO =
      handle(
          "sendto",
          FunctionDescriptor.of(
              JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
  private static final MethodHandle RECVMSG = handle("recvmsg", MSG);
  private static final MethodHandle SENDMSG = handle("sendmsg", MSG);
  // int poll(struct pollfd *, nfds_t, int)
  private static final MethodHandle POLL =
      handle("poll", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));

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

  private static MethodHandle handle(String name, FunctionDescriptor signature) {
    MemorySegment symbol =
        LINKER
            .defaultLookup()
            .find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " in the C library"));
    return LINKER.downcallHandle(symbol, signature, ERRNO);
  }

  @Override
  public String binding() {
    return NativeBinding.FFM;
  }

  private static MemorySegment state() {
    return CALL_STATE.get();
  }

  private static long result(long rc, MemorySegment state) {
    return rc < 0 ? -state.get(JAVA_INT, ERRNO_OFFSET) : rc;
  }

  // A Throwable from invokeExact here can only be an Error of the JVM's own.
  private static Error unexpected(Throwable t) {
    return t instanceof Error e ? e : new AssertionError("native call threw", t);
  }

  @Override
  public long read(int fd, long buf, long count) {
    MemorySegment st = state();
    try {
      return result((long) READ.invokeExact(st, fd, buf, count), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public long write(int fd, long buf, long count) {
    MemorySegment st = state();
    try {
      return result((long) WRITE.invokeExact(st, fd, buf, count), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public long recv(int fd, long buf, long len, int flags) {
    MemorySegment st = state();
    try {
      return result((long) RECV.invokeExact(st, fd, buf, len, flags), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public long send(int fd, long buf, long len, int flags) {
    MemorySegment st = state();
    try {
      return result((long) SEND.invokeExact(st, fd, buf, len, flags), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public long recvfrom(int fd, long buf, long len, int flags, long addr, long addrlen) {
    MemorySegment st = state();
    try {
      return result((long) RECVFROM.invokeExact(st, fd, buf, len, flags, addr, addrlen), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public long sendto(int fd, long buf, long len, int flags, long addr, int addrlen) {
    MemorySegment st = state();
    try {
      return result((long) SENDTO.invokeExact(st, fd, buf, len, flags, addr, addrlen), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public long recvmsg(int fd, long msg, int flags) {
    MemorySegment st = state();
    try {
      return result((long) RECVMSG.invokeExact(st, fd, msg, flags), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public long sendmsg(int fd, long msg, int flags) {
    MemorySegment st = state();
    try {
      return result((long) SENDMSG.invokeExact(st, fd, msg, flags), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }

  @Override
  public int poll(long fds, long nfds, int timeout) {
    MemorySegment st = state();
    try {
      return (int) result((int) POLL.invokeExact(st, fds, nfds, timeout), st);
    } catch (Throwable t) {
      throw unexpected(t);
    }
  }
}
