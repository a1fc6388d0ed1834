package dev.poll4j.benchmarks;

import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Mode;
import dev.poll4j.Pipe;
import dev.poll4j.Poll;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A non-blocking poll that finds nothing: {@code k} empty pipes registered for reading in level
 * mode, polled with a zero timeout. This is the fixed cost of one pass of an event loop, paid on
 * every iteration that finds no work.
 *
 * <p>poll4j (once per backend, {@code -p backend=epoll,poll}) against the JDK's {@link
 * Selector#selectNow(Consumer)} on the same number of {@link java.nio.channels.Pipe.SourceChannel}s
 * in the same run. Level mode on both sides, because that is what a {@code Selector} does. The
 * poll(2) backend passes all {@code k} descriptors to the kernel on each call, epoll and the JDK's
 * Linux selector none, so expect it to grow with {@code k} where the others stay flat.
 *
 * <p>A backend that is not available here fails its setup, and JMH goes on with the rest.
 */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
// JNA needs native access on JDK 24+ (JEP 472); JDK 17 accepts the flag as well.
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EmptyPollBenchmark {

  /** poll4j: one {@link Poll} with {@code k} pipe readers registered. */
  @State(Scope.Thread)
  public static class Poll4j {
    /** The backend, as in {@code -Dpoll4j.backend}. */
    @Param({"epoll", "poll"})
    public String backend;

    /** How many empty pipes are registered. */
    @Param({"1000"})
    public int k;

    Poll poll;
    Events events;
    final List<Pipe> pipes = new ArrayList<>();

    /**
     * Opens the poll and registers the pipes.
     *
     * @throws IOException if the backend is not available, or the OS refuses a call
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
      poll = Poll.open(backend);
      events = Events.withCapacity(1024);
      for (int i = 0; i < k; i++) {
        Pipe pipe = Pipe.open();
        pipes.add(pipe);
        poll.registry().register(pipe.reader(), i, Interest.READABLE, Mode.LEVEL);
      }
      if (poll.poll(events, Duration.ZERO) != 0) {
        throw new IllegalStateException("empty pipes reported ready: " + events);
      }
    }

    /**
     * Closes the pipes and the poll.
     *
     * @throws IOException if closing fails
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
      for (Pipe pipe : pipes) {
        pipe.close();
      }
      if (poll != null) {
        poll.close();
      }
    }
  }

  /** The JDK: one {@link Selector} with {@code k} pipe source channels registered. */
  @State(Scope.Thread)
  public static class Jdk {
    /** How many empty pipes are registered. */
    @Param({"1000"})
    public int k;

    Selector selector;
    // Allocated once, so selectNow(Consumer) allocates nothing per call on the JDK side either.
    Consumer<SelectionKey> action;
    // The keys the action saw: never changes while the pipes stay empty; read so it is not dead.
    long seen;
    final List<java.nio.channels.Pipe> pipes = new ArrayList<>();

    /**
     * Opens the selector and registers the pipes.
     *
     * @throws IOException if the OS refuses a call
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
      selector = Selector.open();
      action = key -> seen++;
      for (int i = 0; i < k; i++) {
        java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        pipes.add(pipe);
        pipe.source().configureBlocking(false);
        pipe.source().register(selector, SelectionKey.OP_READ);
      }
      if (selector.selectNow(action) != 0) {
        throw new IllegalStateException("empty pipes reported ready");
      }
    }

    /**
     * Closes the pipes and the selector.
     *
     * @throws IOException if closing fails
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
      for (java.nio.channels.Pipe pipe : pipes) {
        pipe.source().close();
        pipe.sink().close();
      }
      if (selector != null) {
        selector.close();
      }
    }
  }

  /**
   * One {@code poll(events, Duration.ZERO)} over {@code k} empty registrations.
   *
   * @param s the poll4j state
   * @return the event count (always 0), so the call is not dead code
   * @throws IOException if the poll fails
   */
  @Benchmark
  public int poll4j(Poll4j s) throws IOException {
    return s.poll.poll(s.events, Duration.ZERO);
  }

  /**
   * One {@code selectNow(action)} over {@code k} empty registrations.
   *
   * @param s the JDK state
   * @return the number of keys selected (always 0) plus what the action saw
   * @throws IOException if the select fails
   */
  @Benchmark
  public long jdkSelectNow(Jdk s) throws IOException {
    return s.selector.selectNow(s.action) + s.seen;
  }
}
