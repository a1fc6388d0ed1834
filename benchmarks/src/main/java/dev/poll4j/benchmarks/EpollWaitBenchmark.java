package dev.poll4j.benchmarks;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.poll4j.Events;
import dev.poll4j.Poll;
import dev.poll4j.epoll.sys.Epoll;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the time of an empty non-blocking poll goes: the same {@code epoll_wait(epfd, events,
 * 1024, 0)} on an epoll instance with nothing ready, through each binding, next to the full
 * poll4j and JDK calls that wrap it. Linux only.
 *
 * <ul>
 *   <li>{@code jdkSelectNow}: {@link Selector#selectNow(Consumer)}, the JDK peer;
 *   <li>{@code poll4jPoll}: {@code Poll.poll(events, Duration.ZERO)}, epoll backend;
 *   <li>{@code jdkJniEpollWait}: the JDK's own JNI binding, {@code sun.nio.ch.EPoll.wait}, called
 *       through a constant method handle (the fork opens {@code sun.nio.ch});
 *   <li>{@code jnaEpollWait}: poll4j's binding, {@link Epoll#epoll_wait}, JNA direct mapping;
 *   <li>{@code ffmEpollWait}, {@code ffmEpollWaitErrno}, {@code ffmEpollWaitCritical}: the
 *       Foreign Function &amp; Memory API: a plain downcall, one that captures errno (what a real
 *       binding needs), and a critical one (no thread-state transition; only fit for a call that
 *       never blocks). These need a JVM
 *       22+ and a jar built by JDK 22+ (see {@link EpollWaitCall}); elsewhere their setup fails
 *       and JMH goes on with the rest.
 * </ul>
 *
 * <p>The difference between a binding row and {@code jdkJniEpollWait} is the binding's cost over
 * JNI ({@code jdkJniEpollWait}); the difference between {@code poll4jPoll} and {@code jnaEpollWait} is poll4j's own
 * bookkeeping, as {@code jdkSelectNow} minus {@code jdkJniEpollWait} is the JDK's.
 */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", JdkFds.ADD_OPENS})
public class EpollWaitBenchmark {
  /** Events asked for per wait, as the JDK's selector does. */
  static final int MAX_EVENTS = 1024;

  // sun.nio.ch.EPoll.wait(int epfd, long address, int numfds, int timeout), or null if closed to
  // this class; static final so that the JIT inlines the handle as a constant.
  private static final MethodHandle JDK_EPOLL_WAIT = jdkEpollWait();

  private static MethodHandle jdkEpollWait() {
    try {
      Class<?> epoll = Class.forName("sun.nio.ch.EPoll");
      return MethodHandles.privateLookupIn(epoll, MethodHandles.lookup())
          .findStatic(
              epoll,
              "wait",
              MethodType.methodType(int.class, int.class, long.class, int.class, int.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** An epoll instance with nothing registered, and an event array for it. */
  @State(Scope.Thread)
  public static class EmptyEpoll {
    int epfd = -1;
    final Memory events = new Memory((long) MAX_EVENTS * Epoll.SIZEOF_EPOLL_EVENT);
    long address;

    /**
     * Creates the epoll instance.
     *
     * @throws IOException if {@code epoll_create1} fails
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
      epfd = Epoll.epoll_create1(Epoll.EPOLL_CLOEXEC);
      if (epfd < 0) {
        throw new IOException("epoll_create1 failed");
      }
      address = Pointer.nativeValue(events);
    }

    /** Closes the epoll instance (through the JDK: poll4j's close is internal). */
    @TearDown(Level.Trial)
    public void close() {
      if (epfd >= 0) {
        JnaClose.close(epfd);
      }
      events.close();
    }
  }

  /** {@code close(2)} for the tear-down. */
  static final class JnaClose {
    static {
      com.sun.jna.Native.register(JnaClose.class, com.sun.jna.Platform.C_LIBRARY_NAME);
    }

    private JnaClose() {}

    static native int close(int fd);
  }

  /** The FFM bindings, one per variant. */
  @State(Scope.Thread)
  public static class Ffm {
    EpollWaitCall plain;
    EpollWaitCall errno;
    EpollWaitCall critical;

    /** Loads the bindings; fails (and JMH skips the row) below JDK 22. */
    @Setup(Level.Trial)
    public void load() {
      plain = EpollWaitCall.load("plain");
      errno = EpollWaitCall.load("errno");
      critical = EpollWaitCall.load("critical");
    }
  }

  /** An empty poll4j {@link Poll} on the epoll backend. */
  @State(Scope.Thread)
  public static class Poll4j {
    Poll poll;
    final Events events = Events.withCapacity(MAX_EVENTS);

    /**
     * Opens the poll.
     *
     * @throws IOException if the epoll backend is not available
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
      poll = Poll.open("epoll");
    }

    /**
     * Closes the poll.
     *
     * @throws IOException if closing fails
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
      poll.close();
    }
  }

  /** An empty JDK {@link Selector}. */
  @State(Scope.Thread)
  public static class Jdk {
    Selector selector;
    final Consumer<SelectionKey> action = key -> {};

    /**
     * Opens the selector.
     *
     * @throws IOException if it cannot be opened
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
      selector = Selector.open();
      if (JDK_EPOLL_WAIT == null) {
        throw new IllegalStateException("sun.nio.ch.EPoll is closed; run with " + JdkFds.ADD_OPENS);
      }
    }

    /**
     * Closes the selector.
     *
     * @throws IOException if closing fails
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
      selector.close();
    }
  }

  /**
   * The JDK peer: one {@code selectNow(action)} on an empty selector.
   *
   * @param s the selector
   * @return the number of keys (0)
   * @throws IOException if the select fails
   */
  @Benchmark
  public int jdkSelectNow(Jdk s) throws IOException {
    return s.selector.selectNow(s.action);
  }

  /**
   * One {@code poll(events, Duration.ZERO)} on an empty poll4j {@link Poll}.
   *
   * @param s the poll
   * @return the number of events (0)
   * @throws IOException if the poll fails
   */
  @Benchmark
  public int poll4jPoll(Poll4j s) throws IOException {
    return s.poll.poll(s.events, Duration.ZERO);
  }

  /**
   * {@code epoll_wait} through the JDK's JNI.
   *
   * @param jdk only to check that {@code sun.nio.ch} is open
   * @param e the epoll instance
   * @return the event count (0)
   * @throws Throwable if the call fails
   */
  @Benchmark
  public int jdkJniEpollWait(Jdk jdk, EmptyEpoll e) throws Throwable {
    return (int) JDK_EPOLL_WAIT.invokeExact(e.epfd, e.address, MAX_EVENTS, 0);
  }

  /**
   * {@code epoll_wait} through JNA direct mapping, poll4j's binding.
   *
   * @param e the epoll instance
   * @return the event count (0)
   */
  @Benchmark
  public int jnaEpollWait(EmptyEpoll e) {
    return Epoll.epoll_wait(e.epfd, e.address, MAX_EVENTS, 0);
  }

  /**
   * {@code epoll_wait} through FFM, a plain downcall.
   *
   * @param f the bindings
   * @param e the epoll instance
   * @return the event count (0)
   */
  @Benchmark
  public int ffmEpollWait(Ffm f, EmptyEpoll e) {
    return f.plain.epollWait(e.epfd, e.address, MAX_EVENTS, 0);
  }

  /**
   * {@code epoll_wait} through FFM, errno captured after the call (what a real binding needs).
   *
   * @param f the bindings
   * @param e the epoll instance
   * @return the event count (0)
   */
  @Benchmark
  public int ffmEpollWaitErrno(Ffm f, EmptyEpoll e) {
    return f.errno.epollWait(e.epfd, e.address, MAX_EVENTS, 0);
  }

  /**
   * {@code epoll_wait} through FFM, a critical downcall (no thread-state transition).
   *
   * @param f the bindings
   * @param e the epoll instance
   * @return the event count (0)
   */
  @Benchmark
  public int ffmEpollWaitCritical(Ffm f, EmptyEpoll e) {
    return f.critical.epollWait(e.epfd, e.address, MAX_EVENTS, 0);
  }
}
