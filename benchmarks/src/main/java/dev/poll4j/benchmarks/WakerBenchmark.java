package dev.poll4j.benchmarks;

import dev.poll4j.Events;
import dev.poll4j.Poll;
import dev.poll4j.Waker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
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
 * Waker round trip: the benchmark thread wakes a poll that blocks without a timeout on a second
 * thread, and waits until that thread has returned from the poll (it bumps a volatile counter).
 *
 * <p>poll4j's {@link Waker#wake()} against the JDK's {@link Selector#wakeup()}. The waiting side
 * spins with {@link Thread#yield()}, so that on one CPU ({@code taskset -c 1}) the poller thread
 * gets it at once: pinned, one operation includes two context switches; on two CPUs it includes a
 * cross-CPU wake-up. Either way it is the latency an event loop sees when another thread hands it
 * work.
 */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class WakerBenchmark {

  /** The loop a poller thread runs: block, then count the return. */
  abstract static class Loop {
    // Written by the poller thread only: how many times its blocking call has returned.
    volatile long returned;
    // Cleared by the tear-down; the poller thread stops after its next return.
    volatile boolean running;
    Thread thread;

    /**
     * Blocks until woken, once.
     *
     * @throws IOException if the wait fails
     */
    abstract void block() throws IOException;

    /** Wakes the blocked call. */
    abstract void wake();

    void start(String name) {
      running = true;
      thread =
          new Thread(
              () -> {
                try {
                  while (running) {
                    block();
                    returned++;
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              name);
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      wake();
      thread.join(10_000);
    }

    /**
     * One round trip.
     *
     * @return the new count
     */
    long roundTrip() {
      long before = returned;
      wake();
      long now;
      while ((now = returned) == before) {
        if (!thread.isAlive()) {
          throw new IllegalStateException(thread.getName() + " died; see its stack trace above");
        }
        Thread.yield();
      }
      return now;
    }
  }

  /** poll4j: a {@link Poll} with only a {@link Waker} registered. */
  @State(Scope.Thread)
  public static class Poll4j extends Loop {
    /** The backend, as in {@code -Dpoll4j.backend}. */
    @Param({"epoll", "poll"})
    public String backend;

    Poll poll;
    Events events;
    Waker waker;

    /**
     * Opens the poll and starts the poller thread.
     *
     * @throws IOException if the backend is not available
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
      poll = Poll.open(backend);
      events = Events.withCapacity(16);
      waker = Waker.create(poll.registry(), 1);
      start("poll4j-poller");
    }

    @Override
    void block() throws IOException {
      poll.poll(events, null);
    }

    @Override
    void wake() {
      waker.wake();
    }

    /**
     * Stops the poller thread and closes the poll.
     *
     * @throws IOException if closing fails
     * @throws InterruptedException if interrupted while joining the poller thread
     */
    @TearDown(Level.Trial)
    public void close() throws IOException, InterruptedException {
      stop();
      waker.close();
      poll.close();
    }
  }

  /** The JDK: an empty {@link Selector}. */
  @State(Scope.Thread)
  public static class Jdk extends Loop {
    Selector selector;

    /**
     * Opens the selector and starts the poller thread.
     *
     * @throws IOException if the OS refuses a call
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
      selector = Selector.open();
      start("jdk-selector");
    }

    @Override
    void block() throws IOException {
      selector.select();
    }

    @Override
    void wake() {
      selector.wakeup();
    }

    /**
     * Stops the poller thread and closes the selector.
     *
     * @throws IOException if closing fails
     * @throws InterruptedException if interrupted while joining the poller thread
     */
    @TearDown(Level.Trial)
    public void close() throws IOException, InterruptedException {
      stop();
      selector.close();
    }
  }

  /**
   * {@code waker.wake()}, then wait until {@code poll(events, null)} has returned on the poller
   * thread.
   *
   * @param s the poll4j state
   * @return the round-trip count
   */
  @Benchmark
  public long poll4j(Poll4j s) {
    return s.roundTrip();
  }

  /**
   * {@code selector.wakeup()}, then wait until {@code select()} has returned on the poller thread.
   *
   * @param s the JDK state
   * @return the round-trip count
   */
  @Benchmark
  public long jdkWakeup(Jdk s) {
    return s.roundTrip();
  }
}
