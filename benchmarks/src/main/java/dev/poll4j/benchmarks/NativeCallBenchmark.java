package dev.poll4j.benchmarks;

import dev.poll4j.Pipe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
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
 * The overhead of the native binding on the cheapest real call an event loop makes: a read that
 * would block. Each operation is one {@code read(fd, buf, 1)} on an empty non-blocking pipe, which
 * the kernel answers with {@code EAGAIN} at once.
 *
 * <p>poll4j goes through JNA direct mapping ({@link Pipe.Reader#read}, errno read after the
 * {@code -1}); the JDK through its own JNI ({@link java.nio.channels.Pipe.SourceChannel#read}).
 * Both read into a one-byte direct buffer, so neither copies, and both return 0. The syscall is
 * the same on both sides, so the difference is the binding plus each library's bookkeeping around
 * it (the JDK's channel takes a read lock and checks for interrupts; poll4j notes the would-block
 * for emulated edge mode). This is not a bare call-overhead number such as JNA's {@code getpid}:
 * it is the overhead as a poll4j user pays it.
 */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class NativeCallBenchmark {

  /** poll4j: an empty {@link Pipe}. */
  @State(Scope.Thread)
  public static class Poll4j {
    Pipe pipe;
    final ByteBuffer buf = ByteBuffer.allocateDirect(1);

    /**
     * Opens the pipe and checks that a read would block.
     *
     * @throws IOException if the OS refuses a call
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
      pipe = Pipe.open();
      if (pipe.reader().read(buf) != 0) {
        throw new IllegalStateException("an empty pipe was read");
      }
    }

    /**
     * Closes the pipe.
     *
     * @throws IOException if closing fails
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
      pipe.close();
    }
  }

  /** The JDK: an empty {@link java.nio.channels.Pipe}, source non-blocking. */
  @State(Scope.Thread)
  public static class Jdk {
    java.nio.channels.Pipe pipe;
    final ByteBuffer buf = ByteBuffer.allocateDirect(1);

    /**
     * Opens the pipe and checks that a read would block.
     *
     * @throws IOException if the OS refuses a call
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
      pipe = java.nio.channels.Pipe.open();
      pipe.source().configureBlocking(false);
      if (pipe.source().read(buf) != 0) {
        throw new IllegalStateException("an empty pipe was read");
      }
    }

    /**
     * Closes the pipe.
     *
     * @throws IOException if closing fails
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
      pipe.source().close();
      pipe.sink().close();
    }
  }

  /**
   * One would-block read through poll4j.
   *
   * @param s the poll4j state
   * @return the bytes read (always 0)
   * @throws IOException if the read fails
   */
  @Benchmark
  public int poll4jRead(Poll4j s) throws IOException {
    return s.pipe.reader().read(s.buf);
  }

  /**
   * One would-block read through the JDK.
   *
   * @param s the JDK state
   * @return the bytes read (always 0)
   * @throws IOException if the read fails
   */
  @Benchmark
  public int jdkRead(Jdk s) throws IOException {
    return s.pipe.source().read(s.buf);
  }
}
