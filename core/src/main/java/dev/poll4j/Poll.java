package dev.poll4j;

import dev.poll4j.internal.BackendLoader;
import dev.poll4j.internal.InterruptHook;
import dev.poll4j.internal.posix.sys.NativeBinding;
import dev.poll4j.spi.Backend;
import dev.poll4j.spi.BackendSelector;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A kernel event queue: register sources through its {@link #registry()}, then call {@link
 * #poll} to wait for their readiness.
 *
 * <pre>{@code
 * try (Poll poll = Poll.open()) {
 *   Pipe pipe = Pipe.open();
 *   poll.registry().register(pipe.reader(), 1, Interest.READABLE);
 *   Events events = Events.withCapacity(64);
 *   poll.poll(events, Duration.ofSeconds(1));
 *   for (Event e : events) { ... }
 * }
 * }</pre>
 *
 * <p>The full, compiling version of this is {@code examples/.../Demo.java}.
 *
 * <h2>Threads</h2>
 *
 * One thread polls at a time; a second concurrent {@code poll} fails. The {@link Registry} and a
 * {@link Waker} may be used from any thread meanwhile. {@link Thread#interrupt()} of a thread
 * blocked in {@code poll} makes it return promptly with its interrupt status still set, as {@link
 * java.nio.channels.Selector#select()} does.
 *
 * <h2>Closing</h2>
 *
 * {@link #close()} is idempotent, safe while another thread is blocked in {@code poll} (that
 * poll returns, and close waits for it before freeing native memory), and releases every
 * descriptor and native buffer of the queue. It does not close registered sources.
 *
 * <h2>Portability</h2>
 *
 * <table>
 *   <caption>Backend per operating system</caption>
 *   <tr><th>OS</th><th>backend</th><th>module</th><th>edge mode</th></tr>
 *   <tr><td>Linux</td><td>{@code epoll}</td><td>poll4j-epoll</td><td>native</td></tr>
 *   <tr><td>macOS, FreeBSD, OpenBSD, NetBSD</td><td>{@code kqueue} (not yet run on those
 *       systems)</td><td>poll4j-kqueue</td><td>native</td></tr>
 *   <tr><td>Windows (64-bit)</td><td>{@code iocp} (not yet run on Windows)</td>
 *       <td>poll4j-iocp</td><td>emulated</td></tr>
 *   <tr><td>any POSIX system</td><td>{@code poll}</td><td>poll4j-core</td>
 *       <td>emulated</td></tr>
 * </table>
 *
 * <p>Where edge mode is emulated ({@link #emulatesEdge()}), readiness is re-armed only when an
 * I/O call returns would-block: drain a source until it would block before expecting its next
 * event. That rule is portable; code that relies on epoll's "new data gives a new event without
 * draining" is not. Spurious events may occur on every backend.
 *
 * <h2>Implementation notes</h2>
 *
 * The backend is chosen once per {@code open()}: {@code -Dpoll4j.backend=NAME} wins, otherwise
 * the available backend with the highest priority ({@link #backends()}). No backend is ever used
 * silently in place of the one asked for. Polling allocates nothing in steady state: native event
 * arrays are allocated per {@code Poll}, and {@link Events} is reused.
 *
 * <p>Native calls go through one of two bindings ({@link #nativeBinding()}): on JDK 22+ the
 * calls of every poll, registration change and socket read or write use the Foreign Function
 * &amp; Memory API, when the jars carry their release-22 classes (a build on JDK 22+ puts them in);
 * JNA direct mapping serves everything else, and everything on JDK 17-21. {@code
 * -Dpoll4j.binding=jna} keeps to JNA; {@code -Dpoll4j.binding=ffm} fails instead of falling back.
 * On JDK 22+ grant native access to poll4j's modules (or {@code ALL-UNNAMED}) and JNA's with
 * {@code --enable-native-access} to keep the JVM from warning.
 */
public final class Poll implements Closeable {
  /** System property naming the backend {@link #open()} uses, such as {@code poll}. */
  public static final String BACKEND_PROPERTY = BackendLoader.BACKEND_PROPERTY;

  /**
   * System property choosing the native binding: {@code jna} keeps to JNA on every JDK, {@code
   * ffm} requires the Foreign Function &amp; Memory API (see {@link #nativeBinding()}).
   */
  public static final String BINDING_PROPERTY = NativeBinding.PROPERTY;

  private final BackendSelector selector;
  private final Registry registry;
  private final InterruptHook interruptHook;
  // The thread inside poll(), or null: one poller at a time.
  private final AtomicReference<Thread> poller = new AtomicReference<>();

  private Poll(BackendSelector selector) {
    this.selector = selector;
    this.registry = new Registry(selector);
    this.interruptHook = new InterruptHook(selector::wakeup);
  }

  /**
   * Opens a queue on the backend named by {@value #BACKEND_PROPERTY}, or on the best backend
   * for this OS.
   *
   * @return a new, open {@code Poll}
   * @throws IOException if the kernel queue cannot be created, or if no backend is usable (the
   *     message then lists every backend and why it cannot be used)
   */
  public static Poll open() throws IOException {
    return open(BackendLoader.choose());
  }

  /**
   * Opens a queue on the named backend.
   *
   * @param backend a backend name: {@code epoll}, {@code kqueue}, {@code iocp}, {@code poll}
   * @return a new, open {@code Poll}
   * @throws IOException if the backend is unknown, not installed or not available here (the
   *     message lists every backend), or the kernel queue cannot be created
   */
  public static Poll open(String backend) throws IOException {
    Objects.requireNonNull(backend, "backend");
    return open(BackendLoader.named(backend));
  }

  private static Poll open(Backend backend) throws IOException {
    return new Poll(backend.open());
  }

  /**
   * Every backend poll4j knows of, with its availability on this machine.
   *
   * @return the statuses, installed backends first, by priority
   */
  public static List<BackendStatus> backends() {
    return BackendLoader.statuses();
  }

  /**
   * The binding through which poll4j makes its data-path native calls on this JVM.
   *
   * @return {@code ffm} (Foreign Function &amp; Memory API, JDK 22+) or {@code jna}
   * @throws IllegalStateException if {@code -Dpoll4j.binding=ffm} asks for FFM and it cannot be
   *     used
   * @throws IllegalArgumentException if {@code -Dpoll4j.binding} has another value
   */
  public static String nativeBinding() {
    return NativeBinding.name();
  }

  /**
   * The registry through which sources are added to this queue.
   *
   * @return the registry; the same object each time
   */
  public Registry registry() {
    return registry;
  }

  /**
   * The name of the backend in use.
   *
   * @return a name such as {@code epoll}
   */
  public String backendName() {
    return selector.backendName();
  }

  /**
   * Whether the backend emulates {@link Mode#EDGE} (see the class documentation).
   *
   * @return true for {@code poll} and {@code iocp}
   */
  public boolean emulatesEdge() {
    return selector.emulatesEdge();
  }

  /**
   * Waits for readiness events and stores them in {@code events}, replacing its contents.
   *
   * <p>Returns when at least one event is ready, when the timeout passes (never earlier), when a
   * {@link Waker} wakes it (its event is then among the events), when the thread is interrupted,
   * or when another thread closes this {@code Poll}. Sub-millisecond timeouts are rounded up by
   * backends whose kernel call counts in milliseconds, never down to zero.
   *
   * @param events where the events go; at most {@code events.capacity()} are returned, further
   *     ones come with the next poll
   * @param timeout {@code null} to wait without limit, {@link Duration#ZERO} not to block, else
   *     the longest wait; very large values wait without limit
   * @return the number of events, as {@code events.size()}
   * @throws IOException if the kernel wait fails
   * @throws IllegalStateException if this {@code Poll} is closed, or another thread is polling
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public int poll(Events events, Duration timeout) throws IOException {
    Objects.requireNonNull(events, "events");
    long nanos = toNanos(timeout);
    Thread me = Thread.currentThread();
    if (!poller.compareAndSet(null, me)) {
      Thread other = poller.get();
      throw new IllegalStateException(
          other == me
              ? "Poll.poll called re-entrantly on thread " + me.getName()
              : "Poll.poll is already running on thread " + (other == null ? "?" : other.getName())
                  + "; one thread polls at a time");
    }
    try {
      if (nanos == 0) {
        return selector.select(events.buffer(), 0);
      }
      interruptHook.enter();
      try {
        return selector.select(events.buffer(), nanos);
      } finally {
        interruptHook.leave();
      }
    } finally {
      poller.set(null);
    }
  }

  private static long toNanos(Duration timeout) {
    if (timeout == null) {
      return -1;
    }
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout is negative: " + timeout);
    }
    try {
      return timeout.toNanos();
    } catch (ArithmeticException tooLong) {
      return -1; // about 292 years or more: the same as no limit
    }
  }

  /**
   * Whether this {@code Poll} is open.
   *
   * @return false once {@link #close()} was called
   */
  public boolean isOpen() {
    return !selector.isClosed();
  }

  /**
   * Closes the queue and releases its descriptors and native memory. Idempotent; safe while
   * another thread polls (see the class documentation). Registered sources stay open; their
   * registrations end.
   *
   * @throws IOException if the OS reports an error while releasing (everything is released
   *     regardless)
   */
  @Override
  public void close() throws IOException {
    selector.close();
  }

  @Override
  public String toString() {
    return "Poll[" + selector + "]";
  }
}
