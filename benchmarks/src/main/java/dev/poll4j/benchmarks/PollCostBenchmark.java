package dev.poll4j.benchmarks;

import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Mode;
import dev.poll4j.Poll;
import dev.poll4j.RawFd;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Iterator;
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
 * The cost of one non-blocking poll plus the iteration over what it returns: {@code k} UDP sockets
 * registered for reading in level mode, {@code m} of them holding one unread datagram, so every
 * poll sees the same {@code m} ready.
 *
 * <p>The descriptors are JDK {@link DatagramChannel}s (one descriptor each, so {@code k = 10000}
 * fits a 20,000-descriptor limit), each connected to itself; poll4j registers their descriptors
 * as {@link RawFd}s, the JDK registers the channels. Three ways to poll them:
 *
 * <ul>
 *   <li>{@code poll4j}: {@code poll(events, Duration.ZERO)}, then a loop over the events reading
 *       each token, once per backend ({@code -p backend=epoll,poll});
 *   <li>{@code jdkSelectNow}: {@code selectNow(Consumer)} (JDK 11+, no selected-key set);
 *   <li>{@code jdkSelectNowIterator}: {@code selectNow()} and the classic loop over {@code
 *       selectedKeys()} with {@code Iterator.remove()}.
 * </ul>
 *
 * <p>Batch size: the JDK's Linux selector asks {@code epoll_wait} for at most 1,024 events per
 * call, so poll4j's {@link Events} get the same capacity; with {@code m > 1024} both sides handle
 * 1,024 events per operation. {@code m} is clamped to {@code k} ({@code m=64} at {@code k=10} is
 * {@code m=10}); {@code m=all} means {@code k}.
 */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", JdkFds.ADD_OPENS})
public class PollCostBenchmark {
  /** Events per poll on both sides: the JDK's Linux selector asks epoll for at most this many. */
  static final int BATCH = 1024;

  /** The sockets, shared in shape by both sides: {@code k} registered, {@code m} ready. */
  @State(Scope.Thread)
  public static class Sockets {
    /** How many sockets are registered. */
    @Param({"10", "1000", "10000"})
    public int k;

    /** How many of them are ready: a number, clamped to {@code k}, or {@code all}. */
    @Param({"0", "1", "64", "all"})
    public String m;

    DatagramChannel[] channels;
    // m clamped to k: the number of sockets holding a datagram.
    int ready;

    /**
     * Opens the sockets and makes the first {@code ready} of them readable.
     *
     * @throws IOException if the OS refuses a call
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
      ready = readyCount(k, m);
      channels = new DatagramChannel[k];
      ByteBuffer one = ByteBuffer.allocate(1);
      for (int i = 0; i < k; i++) {
        DatagramChannel ch = DatagramChannel.open();
        channels[i] = ch;
        ch.configureBlocking(false);
        ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ch.connect(ch.getLocalAddress());
        if (i < ready) {
          one.clear();
          if (ch.write(one) != 1) {
            throw new IllegalStateException("datagram not sent on socket " + i);
          }
        }
      }
    }

    /**
     * Closes the sockets.
     *
     * @throws IOException if closing fails
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
      for (DatagramChannel ch : channels) {
        if (ch != null) {
          ch.close();
        }
      }
    }
  }

  /**
   * {@code m} clamped to {@code k}.
   *
   * @param k registered descriptors
   * @param m the parameter: a number or {@code all}
   * @return how many are ready
   */
  static int readyCount(int k, String m) {
    return "all".equals(m) ? k : Math.min(k, Integer.parseInt(m));
  }

  /** poll4j: one {@link Poll} with the {@code k} descriptors registered in level mode. */
  @State(Scope.Thread)
  public static class Poll4j {
    /** The backend, as in {@code -Dpoll4j.backend}. */
    @Param({"epoll", "poll"})
    public String backend;

    Poll poll;
    Events events;

    /**
     * Opens the poll, registers the sockets and checks that one poll sees the ready ones.
     *
     * @param sockets the sockets
     * @throws IOException if the backend is not available, or the OS refuses a call
     */
    @Setup(Level.Trial)
    public void open(Sockets sockets) throws IOException {
      poll = Poll.open(backend);
      events = Events.withCapacity(BATCH);
      for (int i = 0; i < sockets.k; i++) {
        poll.registry()
            .register(RawFd.of(JdkFds.fd(sockets.channels[i])), i, Interest.READABLE, Mode.LEVEL);
      }
      int expected = Math.min(sockets.ready, BATCH);
      int n = poll.poll(events, Duration.ZERO);
      if (n != expected) {
        throw new IllegalStateException("poll returned " + n + " events, expected " + expected);
      }
    }

    /**
     * Closes the poll (the sockets are closed by their own state).
     *
     * @throws IOException if closing fails
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
      if (poll != null) {
        poll.close();
      }
    }
  }

  /** The JDK: one {@link Selector} with the {@code k} channels registered for reading. */
  @State(Scope.Thread)
  public static class Jdk {
    Selector selector;
    // Allocated once, so selectNow(Consumer) allocates nothing per call on the JDK side either.
    Consumer<SelectionKey> action;
    // Sum of the ready sets the action saw; read so the action is not dead code.
    long seen;

    /**
     * Opens the selector, registers the channels and checks that one select sees the ready ones.
     *
     * @param sockets the sockets
     * @throws IOException if the OS refuses a call
     */
    @Setup(Level.Trial)
    public void open(Sockets sockets) throws IOException {
      selector = Selector.open();
      action = key -> seen += key.readyOps();
      for (DatagramChannel ch : sockets.channels) {
        ch.register(selector, SelectionKey.OP_READ);
      }
      int expected = Math.min(sockets.ready, BATCH);
      int n = selector.selectNow(action);
      if (n != expected) {
        throw new IllegalStateException("selectNow returned " + n + " keys, expected " + expected);
      }
    }

    /**
     * Closes the selector (the sockets are closed by their own state).
     *
     * @throws IOException if closing fails
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
      if (selector != null) {
        selector.close();
      }
    }
  }

  /**
   * One {@code poll(events, Duration.ZERO)} and a loop reading every event's token.
   *
   * @param s the poll4j state
   * @return the sum of the tokens, so neither the poll nor the loop is dead code
   * @throws IOException if the poll fails
   */
  @Benchmark
  public long poll4j(Poll4j s) throws IOException {
    Events events = s.events;
    int n = s.poll.poll(events, Duration.ZERO);
    long sum = n;
    for (int i = 0; i < n; i++) {
      sum += events.get(i).token();
    }
    return sum;
  }

  /**
   * One {@code selectNow(action)}; the action reads each key's ready set.
   *
   * @param s the JDK state
   * @return the number of keys plus what the action saw
   * @throws IOException if the select fails
   */
  @Benchmark
  public long jdkSelectNow(Jdk s) throws IOException {
    return s.selector.selectNow(s.action) + s.seen;
  }

  /**
   * One {@code selectNow()} and the classic loop over the selected keys, removing each.
   *
   * @param s the JDK state
   * @return the number of keys plus the sum of their ready sets
   * @throws IOException if the select fails
   */
  @Benchmark
  public long jdkSelectNowIterator(Jdk s) throws IOException {
    long sum = s.selector.selectNow();
    Iterator<SelectionKey> it = s.selector.selectedKeys().iterator();
    while (it.hasNext()) {
      SelectionKey key = it.next();
      it.remove();
      sum += key.readyOps();
    }
    return sum;
  }
}
