package dev.poll4j.examples;

import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Poll;
import dev.poll4j.net.TcpStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A load generator for an echo server, on one poll4j event loop: it opens {@code C} connections,
 * and on each one sends a message of {@code S} bytes, waits until all of it has come back,
 * records the round trip's latency, and sends the next, for a given duration. One message is
 * outstanding per connection at any time (a closed loop), so the rate it measures is what the
 * server and the two event loops sustain, not how much the kernel can queue.
 *
 * <pre>{@code
 * LoadGenerator.Result r = LoadGenerator.run(
 *     LoadGenerator.Options.of(server.address()).withDuration(Duration.ofSeconds(1)), System.out);
 * System.out.println(r.roundTripsPerSecond() + " round trips/s, p99 "
 *     + r.latency().valueAtPercentile(99) + " ns");
 * }</pre>
 *
 * <p>Nothing is allocated per message: every connection owns two direct buffers for its whole
 * life, latencies go into a {@link LatencyHistogram}, and events come through a reused {@link
 * Events}. Each echo is compared with the message sent (its first 8 bytes carry a sequence
 * number), so a server that loses, reorders or corrupts data fails the run.
 *
 * <p>It is bounded: at most {@value #MAX_CONNECTIONS} connections, messages of at most {@value
 * #MAX_MESSAGE_SIZE} bytes, a duration of at most {@value #MAX_SECONDS} s, an optional cap on
 * round trips, a {@value #CONNECT_TIMEOUT_MILLIS} ms limit to connect, and a run fails if no echo
 * arrives for {@value #STALL_MILLIS} ms.
 */
public final class LoadGenerator {
  /** The most connections one run opens. */
  public static final int MAX_CONNECTIONS = 5_000;
  /** The largest message size. */
  public static final int MAX_MESSAGE_SIZE = 64 * 1024;
  /** The longest run, in seconds. */
  public static final int MAX_SECONDS = 600;
  /** How long all connections together may take to connect. */
  static final long CONNECT_TIMEOUT_MILLIS = 5_000;
  /** A run fails when no round trip completes for this long. */
  static final long STALL_MILLIS = 5_000;
  /** How long to wait for the echoes still in flight when the time is up. */
  static final long DRAIN_MILLIS = 2_000;
  /** The most memory all message buffers together may take (two buffers per connection). */
  private static final long MAX_BUFFER_BYTES = 128L << 20;
  private static final long SECOND = 1_000_000_000L;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /**
   * What to run.
   *
   * @param target the echo server
   * @param backend the backend of the generator's {@code Poll}, or null for {@link Poll#open()}
   * @param connections connections to open, 1 to {@value #MAX_CONNECTIONS}
   * @param messageSize bytes per message, 1 to {@value #MAX_MESSAGE_SIZE}
   * @param duration how long to send, more than 0 and at most {@value #MAX_SECONDS} s
   * @param maxRoundTrips stop after this many round trips even if time is left; at least 1
   */
  public record Options(InetSocketAddress target, String backend, int connections,
      int messageSize, Duration duration, long maxRoundTrips) {
    /**
     * Checks the options.
     *
     * @param target the echo server
     * @param backend the backend, or null for {@link Poll#open()}
     * @param connections connections to open
     * @param messageSize bytes per message
     * @param duration how long to send
     * @param maxRoundTrips the most round trips
     * @throws IllegalArgumentException if a value is out of its range
     */
    public Options {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(duration, "duration");
      check(connections >= 1 && connections <= MAX_CONNECTIONS,
          "connections not in 1.." + MAX_CONNECTIONS + ": " + connections);
      check(messageSize >= 1 && messageSize <= MAX_MESSAGE_SIZE,
          "messageSize not in 1.." + MAX_MESSAGE_SIZE + ": " + messageSize);
      check(2L * connections * messageSize <= MAX_BUFFER_BYTES,
          "connections x messageSize x 2 buffers > " + (MAX_BUFFER_BYTES >> 20) + " MiB: "
              + connections + " x " + messageSize);
      check(!duration.isNegative() && !duration.isZero()
              && duration.compareTo(Duration.ofSeconds(MAX_SECONDS)) <= 0,
          "duration not in (0, " + MAX_SECONDS + " s]: " + duration);
      check(maxRoundTrips >= 1, "maxRoundTrips < 1: " + maxRoundTrips);
    }

    /**
     * The defaults against {@code target}: the best backend, 50 connections, 64-byte messages,
     * 5 seconds, no cap on round trips but time.
     *
     * @param target the echo server
     * @return the options
     */
    public static Options of(InetSocketAddress target) {
      return new Options(target, null, 50, 64, Duration.ofSeconds(5), Long.MAX_VALUE);
    }

    /**
     * These options with another backend.
     *
     * @param name a backend name, or null for {@link Poll#open()}
     * @return new options
     */
    public Options withBackend(String name) {
      return new Options(target, name, connections, messageSize, duration, maxRoundTrips);
    }

    /**
     * These options with another connection count.
     *
     * @param n connections
     * @return new options
     */
    public Options withConnections(int n) {
      return new Options(target, backend, n, messageSize, duration, maxRoundTrips);
    }

    /**
     * These options with another message size.
     *
     * @param bytes bytes per message
     * @return new options
     */
    public Options withMessageSize(int bytes) {
      return new Options(target, backend, connections, bytes, duration, maxRoundTrips);
    }

    /**
     * These options with another duration.
     *
     * @param d how long to send
     * @return new options
     */
    public Options withDuration(Duration d) {
      return new Options(target, backend, connections, messageSize, d, maxRoundTrips);
    }

    /**
     * These options with a cap on round trips.
     *
     * @param n the most round trips to run
     * @return new options
     */
    public Options withMaxRoundTrips(long n) {
      return new Options(target, backend, connections, messageSize, duration, n);
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }

  /**
   * What a run measured.
   *
   * @param backend the backend the generator ran on
   * @param connections connections used
   * @param messageSize bytes per message
   * @param roundTrips round trips completed while sending
   * @param elapsed from the first message sent to the end of sending
   * @param latency round-trip latencies, one per round trip
   * @param cpuNanos CPU time of the generator's thread over the run, or -1 if not measurable
   */
  public record Result(String backend, int connections, int messageSize, long roundTrips,
      Duration elapsed, LatencyHistogram latency, long cpuNanos) {
    /**
     * Round trips per second over the run.
     *
     * @return the rate
     */
    public double roundTripsPerSecond() {
      return roundTrips / (elapsed.toNanos() / 1e9);
    }

    /**
     * Prints the result as a small table: a header line and one row of backend, connections,
     * message size, round trips per second, and the latency's median, 99th percentile and
     * maximum.
     *
     * @param out where the two lines go
     */
    public void printTable(PrintStream out) {
      String row = "%-8s  %11s  %7s  %13s  %9s  %9s  %9s%n";
      out.printf(Locale.ROOT, row, "backend", "connections", "message", "round trips/s", "p50",
          "p99", "max");
      out.printf(Locale.ROOT, row, backend, connections, messageSize + " B",
          String.format(Locale.ROOT, "%,.0f", roundTripsPerSecond()),
          formatNanos(latency.valueAtPercentile(50)), formatNanos(latency.valueAtPercentile(99)),
          formatNanos(latency.max()));
    }
  }

  private final Options options;
  private final Poll poll;
  // Where the live progress line goes, or null for none.
  private final PrintStream progress;
  private final Conn[] conns;
  private final LatencyHistogram total = new LatencyHistogram();
  // Latencies since the last progress line.
  private final LatencyHistogram interval = new LatencyHistogram();
  // Whether completed round trips are followed by new messages.
  private boolean sending;
  private long roundTrips;
  // Messages sent and not yet fully echoed.
  private int inFlight;
  // When the last round trip completed, to detect a stalled server.
  private long lastCompletion;

  private LoadGenerator(Options options, Poll poll, PrintStream progress) {
    this.options = options;
    this.poll = poll;
    this.progress = progress;
    this.conns = new Conn[options.connections()];
  }

  /**
   * Runs the load on the calling thread and returns the measurements.
   *
   * @param options what to run
   * @param progress where a progress line goes once a second, rewritten in place with a carriage
   *     return and ended with a newline; null for none
   * @return the measurements
   * @throws IOException if the backend cannot be used, a connection fails or is closed by the
   *     server, an echo differs from its message, or the server stalls
   */
  public static Result run(Options options, PrintStream progress) throws IOException {
    try (Poll poll = options.backend() == null ? Poll.open() : Poll.open(options.backend())) {
      LoadGenerator g = new LoadGenerator(options, poll, progress);
      try {
        return g.run();
      } finally {
        for (Conn c : g.conns) {
          if (c != null) {
            TcpServer.closeQuietly(c.stream, null);
          }
        }
      }
    }
  }

  private Result run() throws IOException {
    Events events = Events.withCapacity(1024);
    connectAll(events);

    long cpu0 = cpuNow();
    long start = System.nanoTime();
    long end = start + options.duration().toNanos();
    long nextTick = start + SECOND;
    lastCompletion = start;
    sending = true;
    for (Conn c : conns) {
      c.send(start);
    }
    long lastTick = start;
    for (;;) {
      long now = System.nanoTime();
      if (!sending || now - end >= 0 || roundTrips >= options.maxRoundTrips()) {
        sending = false; // completions from here on are not followed by new messages
        end = now;
        if (now - lastTick >= SECOND / 10) {
          printProgress(now - start, now - lastTick); // the last, partial second
        }
        break;
      }
      if (now - nextTick >= 0) {
        printProgress(now - start, now - lastTick);
        lastTick = now;
        nextTick += SECOND;
      }
      if (now - lastCompletion > STALL_MILLIS * 1_000_000) {
        throw new IOException("no echo for " + STALL_MILLIS + " ms; " + inFlight
            + " messages in flight");
      }
      poll.poll(events, Duration.ofNanos(Math.min(end, nextTick) - now));
      dispatch(events);
    }
    long cpu = cpuNow() - cpu0;
    long counted = roundTrips;
    LatencyHistogram latency = new LatencyHistogram();
    latency.add(total); // a copy: echoes of the drain below are not part of the measurement
    if (progress != null) {
      progress.println();
      progress.flush();
    }
    drain(events);
    return new Result(poll.backendName(), conns.length, options.messageSize(), counted,
        Duration.ofNanos(end - start), latency, cpu0 < 0 ? -1 : cpu);
  }

  private void connectAll(Events events) throws IOException {
    for (int i = 0; i < conns.length; i++) {
      TcpStream s = TcpStream.connect(options.target());
      conns[i] = new Conn(i, s, options.messageSize());
      s.setOption(StandardSocketOptions.TCP_NODELAY, true);
      // Writable tells that the connect finished; readable is what the echoes need later.
      poll.registry().register(s, i, Interest.READABLE.add(Interest.WRITABLE));
    }
    int connected = 0;
    long deadline = System.nanoTime() + CONNECT_TIMEOUT_MILLIS * 1_000_000;
    while (connected < conns.length) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IOException("only " + connected + " of " + conns.length + " connections to "
            + options.target() + " were established within " + CONNECT_TIMEOUT_MILLIS + " ms");
      }
      poll.poll(events, Duration.ofNanos(left));
      for (Event e : events) {
        Conn c = conns[(int) e.token()];
        if (!c.connected && c.stream.finishConnect()) { // a refusal throws ConnectException
          c.connected = true;
          c.interest(Interest.READABLE);
          connected++;
        }
      }
    }
  }

  private void dispatch(Events events) throws IOException {
    for (int i = 0; i < events.size(); i++) {
      conns[(int) events.get(i).token()].onReady();
    }
  }

  // Waits for the echoes still in flight, so that connections close cleanly.
  private void drain(Events events) throws IOException {
    long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000;
    while (inFlight > 0 && deadline - System.nanoTime() > 0) {
      poll.poll(events, Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0)));
      dispatch(events);
    }
  }

  private void printProgress(long sinceStart, long sinceLastLine) {
    if (progress == null) {
      return;
    }
    // Once a second: this formatting is the only allocation of the measuring loop.
    progress.printf(Locale.ROOT, "\r  %d/%d s  %,10.0f round trips/s  p50 %s  p99 %s   ",
        Math.round(sinceStart / 1e9), (options.duration().toMillis() + 999) / 1000,
        interval.count() / (sinceLastLine / 1e9), formatNanos(interval.valueAtPercentile(50)),
        formatNanos(interval.valueAtPercentile(99)));
    progress.flush();
    interval.reset();
  }

  private static long cpuNow() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
  }

  /**
   * A duration for people: {@code 850 ns}, {@code 41.2 us}, {@code 1.23 ms}, {@code 2.50 s}.
   *
   * @param nanos nanoseconds
   * @return the text
   */
  static String formatNanos(long nanos) {
    if (nanos < 1_000) {
      return nanos + " ns";
    } else if (nanos < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    } else if (nanos < SECOND) {
      return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  /**
   * Runs a load against an echo server elsewhere (another process, socat, ...) and prints the
   * table of {@link Result#printTable}.
   *
   * @param args {@code [--backend NAME] [--host ADDRESS] [--port N] [--connections N] [--size
   *     BYTES] [--duration SECONDS]}; {@code --help} tells more
   * @throws Exception if the thread is interrupted
   */
  public static void main(String[] args) throws Exception {
    Args a = new Args("LoadGenerator", args);
    if (a.help()) {
      System.out.println(USAGE);
      return;
    }
    Options o;
    try {
      String backend = a.option("--backend", null);
      String host = a.option("--host", "127.0.0.1");
      int port = a.intOption("--port", 7007, 1, 65535);
      o = new Options(new InetSocketAddress(host, port), backend,
          a.intOption("--connections", 50, 1, MAX_CONNECTIONS),
          a.intOption("--size", 64, 1, MAX_MESSAGE_SIZE),
          a.secondsOption("--duration", Duration.ofSeconds(5), Duration.ofMillis(100),
              Duration.ofSeconds(MAX_SECONDS)),
          Long.MAX_VALUE);
      a.done();
    } catch (IllegalArgumentException e) { // a UsageError, or an Options check
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    try {
      Result r = run(o, System.out);
      System.out.println();
      r.printTable(System.out);
    } catch (IOException e) {
      System.err.println("LoadGenerator: " + e.getMessage());
      System.exit(1);
    }
  }

  private static final String USAGE = String.join("\n",
      "usage: LoadGenerator [--backend NAME] [--host ADDRESS] [--port N] [--connections N]",
      "                     [--size BYTES] [--duration SECONDS] [--help]",
      "",
      "Sends messages to an echo server on C connections, one in flight on each, checks every",
      "echo, and prints round trips per second and latency percentiles.",
      "",
      "  --backend NAME       epoll, poll, ...; default: -D" + Poll.BACKEND_PROPERTY
          + ", else the best available",
      "  --host ADDRESS       the echo server (default 127.0.0.1)",
      "  --port N             its port (default 7007, EchoServer's default)",
      "  --connections N      1.." + MAX_CONNECTIONS + " (default 50)",
      "  --size BYTES         message size, 1.." + MAX_MESSAGE_SIZE + " (default 64)",
      "  --duration SECONDS   how long to send, 0.1.." + MAX_SECONDS + " (default 5)");

  /** One connection: the message it sends and the echo it collects. */
  private final class Conn {
    private final int index;
    private final TcpStream stream;
    // The message; between sends, position = limit = size after the write completed.
    private final ByteBuffer out;
    // The echo collected so far.
    private final ByteBuffer in;
    private boolean connected;
    // The interest registered now, so that an unchanged one costs no system call.
    private Interest interest = Interest.READABLE.add(Interest.WRITABLE);
    // When the current message was sent, and its sequence number.
    private long sentAt;
    private long sequence;

    Conn(int index, TcpStream stream, int size) {
      this.index = index;
      this.stream = stream;
      this.out = ByteBuffer.allocateDirect(size);
      this.in = ByteBuffer.allocateDirect(size);
      for (int i = 0; i < size; i++) {
        out.put(i, (byte) ('a' + (index + i) % 26)); // printable, different per connection
      }
    }

    void send(long now) throws IOException {
      out.clear();
      if (out.capacity() >= Long.BYTES) {
        out.putLong(0, ++sequence); // tells this echo apart from an earlier one
      }
      in.clear();
      sentAt = now;
      inFlight++;
      flush();
    }

    // Writes what is left of the message; asks for writable only while a write would block.
    private void flush() throws IOException {
      while (out.hasRemaining()) {
        if (stream.write(out) == 0) {
          interest(Interest.READABLE.add(Interest.WRITABLE));
          return;
        }
      }
      interest(Interest.READABLE);
    }

    void onReady() throws IOException {
      if (out.hasRemaining()) {
        flush();
      }
      // Read until it would block: the drain rule of edge mode.
      for (;;) {
        int n = stream.read(in);
        if (n < 0) {
          throw new EOFException("connection " + index + ": the server closed it");
        }
        if (n == 0) {
          return; // would block (in is never full here: it is cleared when an echo completes)
        }
        if (!in.hasRemaining()) {
          complete();
        }
      }
    }

    private void complete() throws IOException {
      long now = System.nanoTime();
      inFlight--;
      in.flip();
      out.rewind();
      if (!in.equals(out)) {
        throw new IOException("connection " + index + ": the echo of message " + sequence
            + " differs from the message");
      }
      if (!sending) {
        return; // the run is over; this echo was in flight
      }
      long latency = now - sentAt;
      total.record(latency);
      interval.record(latency);
      roundTrips++;
      lastCompletion = now;
      if (roundTrips < options.maxRoundTrips()) {
        send(now);
      } else {
        sending = false;
      }
    }

    void interest(Interest wanted) throws IOException {
      if (wanted != interest) {
        poll.registry().reregister(stream, index, wanted);
        interest = wanted;
      }
    }
  }
}
