package dev.poll4j.benchmarks;

import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Mode;
import dev.poll4j.Poll;
import dev.poll4j.RawFd;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
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
 * Register and deregister churn of one descriptor (an idle UDP socket), as an event loop does for
 * short-lived connections.
 *
 * <p>The JDK applies a {@link SelectionKey#cancel()} only at the next select, and refuses to
 * register a channel again before that, so its cycle is register, {@code selectNow}, cancel,
 * {@code selectNow}. {@code poll4jCycle} does the same four steps; {@code poll4j} is the bare
 * register and deregister pair, which poll4j allows without a poll in between.
 */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", JdkFds.ADD_OPENS})
public class ChurnBenchmark {

  /** One idle, non-blocking UDP socket on the loopback interface. */
  @State(Scope.Thread)
  public static class Socket {
    DatagramChannel channel;

    /**
     * Opens the socket.
     *
     * @throws IOException if the OS refuses a call
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
      channel = DatagramChannel.open();
      channel.configureBlocking(false);
      channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /**
     * Closes the socket.
     *
     * @throws IOException if closing fails
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
      channel.close();
    }
  }

  /** poll4j: an empty {@link Poll} and the socket's descriptor as a {@link RawFd}. */
  @State(Scope.Thread)
  public static class Poll4j {
    /** The backend, as in {@code -Dpoll4j.backend}. */
    @Param({"epoll", "poll"})
    public String backend;

    Poll poll;
    Events events;
    RawFd fd;

    /**
     * Opens the poll.
     *
     * @param socket the socket
     * @throws IOException if the backend is not available
     */
    @Setup(Level.Trial)
    public void open(Socket socket) throws IOException {
      poll = Poll.open(backend);
      events = Events.withCapacity(16);
      fd = RawFd.of(JdkFds.fd(socket.channel));
    }

    /**
     * Closes the poll.
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

  /** The JDK: an empty {@link Selector}. */
  @State(Scope.Thread)
  public static class Jdk {
    Selector selector;

    /**
     * Opens the selector.
     *
     * @throws IOException if the OS refuses a call
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
      selector = Selector.open();
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
   * Register, then deregister.
   *
   * @param s the poll4j state
   * @throws IOException if a call fails
   */
  @Benchmark
  public void poll4j(Poll4j s) throws IOException {
    s.poll.registry().register(s.fd, 1, Interest.READABLE, Mode.LEVEL);
    s.poll.registry().deregister(s.fd);
  }

  /**
   * Register, poll, deregister, poll: the same four steps as the JDK's cycle.
   *
   * @param s the poll4j state
   * @return the event counts (always 0)
   * @throws IOException if a call fails
   */
  @Benchmark
  public int poll4jCycle(Poll4j s) throws IOException {
    s.poll.registry().register(s.fd, 1, Interest.READABLE, Mode.LEVEL);
    int n = s.poll.poll(s.events, Duration.ZERO);
    s.poll.registry().deregister(s.fd);
    return n + s.poll.poll(s.events, Duration.ZERO);
  }

  /**
   * Register, {@code selectNow}, cancel, {@code selectNow}.
   *
   * @param s the JDK state
   * @param socket the socket
   * @return the selected counts (always 0)
   * @throws IOException if a call fails
   */
  @Benchmark
  public int jdkRegisterCancel(Jdk s, Socket socket) throws IOException {
    SelectionKey key = socket.channel.register(s.selector, SelectionKey.OP_READ);
    int n = s.selector.selectNow();
    key.cancel();
    return n + s.selector.selectNow();
  }
}
