package dev.poll4j.benchmarks;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.poll4j.Poll;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Echo server CPU per round trip (issue 7): a poll4j echo server (per backend) and an NIO {@link
 * Selector} echo server under the same load generator, at {@code 100 connections x 64 B} and
 * {@code 1,000 connections x 1 KiB}.
 *
 * <p>Not a JMH benchmark, because the number wanted is not the time of an operation on the
 * benchmark thread but the CPU time of another thread, the server's, per round trip. It is run the
 * way JMH runs: one fresh JVM (a <em>fork</em>) per implementation and size, warm-up trials
 * first, then measured trials, and its results are written as JMH-style JSON, so {@link
 * ChartWriter} puts them in the same table as ratios to the NIO server ({@code jdkNio}).
 *
 * <p>One fork: the server runs its event loop on its own thread ({@link EchoServers}); the load
 * generator ({@link LoadGenerator}), on the main thread, opens all connections over loopback,
 * then each trial makes every connection do a fixed number of round trips (send {@code size}
 * bytes, wait for all of them to come back), one message in flight per connection. A trial's
 * score is the server thread's CPU time ({@link ThreadMXBean#getThreadCpuTime(long)}) over the
 * trial divided by the round trips completed. Every trial is bounded in count and in time: a trial
 * that hits its time limit reports the round trips it did complete, and says so.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.poll4j.benchmarks.EchoCpuBenchmark [--quick]
 * [--json FILE] [--impls jdkNio,epoll,poll] [--configs 100x64,1000x1024]}. Forks inherit the
 * CPU affinity of this JVM ({@code run.sh} pins everything to one CPU: then the server and the
 * load generator share it, and a poll usually finds many connections ready).
 */
public final class EchoCpuBenchmark {
  private EchoCpuBenchmark() {}

  /** One size of the matrix. */
  record Config(int connections, int size, int roundTrips) {}

  /** The settings of a run: full or quick. */
  record Plan(int warmups, int trials, double roundTripScale, long trialLimitNanos) {}

  static final Plan FULL = new Plan(2, 5, 1.0, 30_000_000_000L);
  static final Plan QUICK = new Plan(1, 2, 0.1, 10_000_000_000L);

  // Round trips per connection per trial at full scale: about 200,000 and 100,000 in all.
  static final List<Config> CONFIGS =
      List.of(new Config(100, 64, 2000), new Config(1000, 1024, 100));

  /**
   * Runs the matrix (or, with {@code --fork}, one fork of it).
   *
   * @param args see the class documentation
   * @throws Exception if a fork fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--fork")) {
      fork(args);
      return;
    }
    Plan plan = FULL;
    Path json = null;
    List<String> impls = List.of("jdkNio", "epoll", "poll");
    List<Config> configs = CONFIGS;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick":
          plan = QUICK;
          break;
        case "--json":
          json = Path.of(args[++i]);
          break;
        case "--impls":
          impls = Arrays.asList(args[++i].split(","));
          break;
        case "--configs":
          configs = new ArrayList<>();
          for (String c : args[++i].split(",")) {
            String[] cs = c.split("x");
            int conns = Integer.parseInt(cs[0]);
            int size = Integer.parseInt(cs[1]);
            configs.add(
                new Config(conns, size, CONFIGS.stream()
                    .filter(d -> d.connections() == conns && d.size() == size)
                    .mapToInt(Config::roundTrips)
                    .findFirst()
                    .orElse(200_000 / conns)));
          }
          break;
        default:
          throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (Config c : configs) {
      for (String impl : impls) {
        results.add(runFork(impl, c, plan));
      }
    }
    if (json != null) {
      Gson gson = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
      Files.writeString(json, gson.toJson(results), StandardCharsets.UTF_8);
    }
  }

  // Starts one fork, echoes its output, and turns its TRIAL lines into one JMH-style result.
  private static Map<String, Object> runFork(String impl, Config c, Plan plan) throws Exception {
    int roundTrips = Math.max(1, (int) Math.round(c.roundTrips() * plan.roundTripScale()));
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-Xms256m");
    String binding = System.getProperty(Poll.BINDING_PROPERTY);
    if (binding != null) { // the fork uses the binding this JVM was told to use
      cmd.add("-D" + Poll.BINDING_PROPERTY + "=" + binding);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(EchoCpuBenchmark.class.getName());
    cmd.addAll(
        List.of(
            "--fork",
            impl,
            Integer.toString(c.connections()),
            Integer.toString(c.size()),
            Integer.toString(roundTrips),
            Integer.toString(plan.warmups()),
            Integer.toString(plan.trials()),
            Long.toString(plan.trialLimitNanos())));
    String label = impl + " " + c.connections() + " connections x " + c.size() + " B";
    System.out.println("# Echo CPU: " + label + ", " + roundTrips + " round trips per connection"
        + " per trial, " + plan.warmups() + " warm-up + " + plan.trials() + " trials");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<Double> cpu = new ArrayList<>();
    List<Double> wall = new ArrayList<>();
    List<Double> clientCpu = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        System.out.println(line);
        if (line.startsWith("TRIAL ")) {
          String[] f = line.split(" ");
          cpu.add(Double.parseDouble(f[1]));
          wall.add(Double.parseDouble(f[2]));
          clientCpu.add(Double.parseDouble(f[3]));
        }
      }
    }
    int rc = p.waitFor();
    if (rc != 0 || cpu.isEmpty()) {
      throw new IllegalStateException("echo fork failed (exit " + rc + "): " + label);
    }
    Map<String, Object> params = new LinkedHashMap<>();
    if (!impl.equals("jdkNio")) {
      params.put("backend", impl);
    }
    params.put("connections", Integer.toString(c.connections()));
    params.put("size", Integer.toString(c.size()));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("benchmark", EchoCpuBenchmark.class.getName() + (impl.equals("jdkNio") ? ".jdkNio" : ".poll4j"));
    r.put("mode", "cpu per round trip");
    r.put("forks", 1);
    r.put("warmupIterations", plan.warmups());
    r.put("measurementIterations", plan.trials());
    r.put("params", params);
    r.put("primaryMetric", metric(cpu, "ns server CPU/round trip"));
    Map<String, Object> secondary = new LinkedHashMap<>();
    secondary.put("wall", metric(wall, "ns/round trip"));
    secondary.put("clientCpu", metric(clientCpu, "ns client CPU/round trip"));
    r.put("secondaryMetrics", secondary);
    return r;
  }

  private static Map<String, Object> metric(List<Double> values, String unit) {
    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double var = 0;
    for (double v : values) {
      var += (v - mean) * (v - mean);
    }
    int n = values.size();
    double error = n < 3 ? Double.NaN : t999(n - 1) * Math.sqrt(var / (n - 1)) / Math.sqrt(n);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("score", mean);
    m.put("scoreError", error);
    m.put("scoreUnit", unit);
    m.put("rawData", List.of(values));
    return m;
  }

  // Two-sided 99.9 % Student t quantile, as JMH uses for its error column (none below 3 trials).
  private static double t999(int df) {
    double[] t = {636.62, 31.599, 12.924, 8.610, 6.869, 5.959, 5.408, 5.041, 4.781, 4.587};
    return df <= t.length ? t[df - 1] : 3.291 + 10.0 / df;
  }

  // ---- one fork -------------------------------------------------------------------------------

  private static void fork(String[] args) throws Exception {
    String impl = args[1];
    int connections = Integer.parseInt(args[2]);
    int size = Integer.parseInt(args[3]);
    int roundTrips = Integer.parseInt(args[4]);
    int warmups = Integer.parseInt(args[5]);
    int trials = Integer.parseInt(args[6]);
    long limitNanos = Long.parseLong(args[7]);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    if (!mx.isThreadCpuTimeSupported()) {
      throw new IllegalStateException("this JVM cannot measure thread CPU time");
    }
    mx.setThreadCpuTimeEnabled(true);
    try (EchoServers.Server server = EchoServers.start(impl);
        LoadGenerator load = new LoadGenerator(server.address(), connections, size)) {
      long serverTid = server.threadId();
      long clientTid = Thread.currentThread().getId();
      for (int i = -warmups; i < trials; i++) {
        long cpu0 = mx.getThreadCpuTime(serverTid);
        long client0 = mx.getThreadCpuTime(clientTid);
        long t0 = System.nanoTime();
        long done = load.run(roundTrips, t0 + limitNanos);
        long wall = System.nanoTime() - t0;
        long cpu = mx.getThreadCpuTime(serverTid) - cpu0;
        long client = mx.getThreadCpuTime(clientTid) - client0;
        long expected = (long) roundTrips * connections;
        String note = done < expected ? " (time limit: " + done + " of " + expected + ")" : "";
        if (done == 0) {
          throw new IllegalStateException("no round trip completed within the time limit");
        }
        if (i < 0) {
          System.out.printf(
              Locale.ROOT,
              "# Warm-up %d: %.1f ns server CPU/round trip%s%n",
              i + warmups + 1,
              (double) cpu / done,
              note);
        } else {
          System.out.printf(
              Locale.ROOT,
              "TRIAL %.3f %.3f %.3f %d%s%n",
              (double) cpu / done,
              (double) wall / done,
              (double) client / done,
              done,
              note);
        }
      }
    }
  }

  /**
   * The load generator: one thread, a JDK {@link Selector}, {@code connections} loopback
   * connections, one message of {@code size} bytes in flight on each.
   */
  static final class LoadGenerator implements AutoCloseable {
    private final Selector selector;
    private final SocketChannel[] channels;
    private final int size;
    // Per connection: bytes of the current message still to send, and still to receive.
    private final int[] toSend;
    private final int[] toReceive;
    // Per connection: round trips still to do in this trial.
    private final int[] left;
    private final ByteBuffer payload;
    private final ByteBuffer sink = ByteBuffer.allocateDirect(64 * 1024);
    private long completed;

    LoadGenerator(InetSocketAddress server, int connections, int size) throws IOException {
      this.size = size;
      this.selector = Selector.open();
      this.channels = new SocketChannel[connections];
      this.toSend = new int[connections];
      this.toReceive = new int[connections];
      this.left = new int[connections];
      this.payload = ByteBuffer.allocateDirect(size);
      for (int i = 0; i < size; i++) {
        payload.put(i, (byte) i);
      }
      try {
        for (int i = 0; i < connections; i++) {
          SocketChannel ch = SocketChannel.open(server); // blocking connect; the server accepts
          channels[i] = ch;
          ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
          ch.configureBlocking(false);
          ch.register(selector, 0, i);
        }
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
    }

    /**
     * One trial: every connection does {@code roundTrips} round trips, or the deadline passes.
     *
     * @return the round trips completed
     */
    long run(int roundTrips, long deadline) throws IOException {
      completed = 0;
      for (int i = 0; i < channels.length; i++) {
        left[i] = roundTrips;
        startMessage(i);
      }
      long target = (long) roundTrips * channels.length;
      while (completed < target) {
        long wait = (deadline - System.nanoTime()) / 1_000_000;
        if (wait <= 0) {
          break;
        }
        selector.select(this::onKey, Math.min(wait, 100));
      }
      // Whatever is still in flight (time limit) is drained so the next trial starts clean.
      for (int i = 0; i < channels.length; i++) {
        left[i] = 0;
      }
      long drainUntil = System.nanoTime() + 5_000_000_000L;
      while (inFlight() && System.nanoTime() < drainUntil) {
        selector.select(this::onKey, 100);
      }
      if (inFlight()) {
        throw new IllegalStateException("echoes still missing 5 s after the trial ended");
      }
      return completed;
    }

    private boolean inFlight() {
      for (int i = 0; i < channels.length; i++) {
        if (toSend[i] > 0 || toReceive[i] > 0) {
          return true;
        }
      }
      return false;
    }

    private void startMessage(int i) throws IOException {
      toSend[i] = size;
      toReceive[i] = size;
      send(i);
    }

    private void send(int i) throws IOException {
      ByteBuffer p = payload.duplicate();
      p.position(size - toSend[i]);
      // duplicate() allocates; the load generator is the same for every server, and its garbage
      // is not the server's CPU time.
      toSend[i] -= channels[i].write(p);
      channels[i]
          .keyFor(selector)
          .interestOps(toSend[i] > 0 ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private void onKey(SelectionKey key) {
      int i = (Integer) key.attachment();
      try {
        if (key.isWritable() && toSend[i] > 0) {
          send(i);
          return;
        }
        if (key.isReadable()) {
          sink.clear();
          int n = channels[i].read(sink);
          if (n < 0) {
            throw new IOException("server closed connection " + i);
          }
          toReceive[i] -= n;
          if (toReceive[i] < 0) {
            throw new IOException("connection " + i + " got more bytes than it sent");
          }
          if (toReceive[i] == 0) {
            completed++;
            if (--left[i] > 0) {
              startMessage(i);
            } else {
              key.interestOps(0);
            }
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      for (SocketChannel ch : channels) {
        if (ch != null) {
          ch.close();
        }
      }
      selector.close();
    }
  }
}
