package dev.poll4j.examples;

import dev.poll4j.Poll;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;

/**
 * The README demo: an {@link EchoServer} and a {@link LoadGenerator} in one process, on the
 * chosen backend, over loopback. The generator keeps one message in flight on each of its
 * connections for a few seconds, shows a progress line once a second, and then prints a table:
 * backend, connections, message size, round trips per second, and latency percentiles.
 *
 * <pre>
 * usage: EchoDemo [--backend NAME] [--connections N] [--size BYTES] [--duration SECONDS] [--help]
 * </pre>
 *
 * <p>Both sides run on the same backend, each on one event-loop thread; the CPU time of each
 * thread is reported next to the wall-clock time. It is a smoke measurement of the machine it
 * runs on, not a benchmark: {@code benchmarks/} has those. Exits with status 1 if the backend
 * cannot be used or the run fails, 2 on a usage error.
 */
public final class EchoDemo {
  private EchoDemo() {}

  /**
   * Runs the demo and exits with its status.
   *
   * @param args see {@code --help}
   * @throws Exception if the thread is interrupted
   */
  public static void main(String[] args) throws Exception {
    int status = run(args, System.out);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs the demo.
   *
   * @param args as for {@link #main}
   * @param out where the report goes; errors go there too, prefixed with {@code echo demo:}
   * @return the exit status: 0 on success, 1 if the demo failed, 2 on a usage error
   */
  public static int run(String[] args, PrintStream out) {
    Args a = new Args("echo demo", args);
    if (a.help()) {
      out.println(USAGE);
      return 0;
    }
    String backend;
    int connections;
    int size;
    Duration duration;
    try {
      backend = a.option("--backend", null);
      connections = a.intOption("--connections", 50, 1, LoadGenerator.MAX_CONNECTIONS);
      size = a.intOption("--size", 64, 1, LoadGenerator.MAX_MESSAGE_SIZE);
      duration = a.secondsOption("--duration", Duration.ofSeconds(5), Duration.ofMillis(100),
          Duration.ofSeconds(LoadGenerator.MAX_SECONDS));
      a.done();
    } catch (Args.UsageError e) {
      out.println(e.getMessage());
      return 2;
    }
    try {
      demo(backend, connections, size, duration, out);
      return 0;
    } catch (IOException | IllegalArgumentException e) { // unusable backend, failed run
      out.println();
      out.println("echo demo: " + e.getMessage());
      return 1;
    }
  }

  private static void demo(String backend, int connections, int size, Duration duration,
      PrintStream out) throws IOException {
    out.printf(Locale.ROOT, "poll4j echo demo on %s %s, Java %s, %d CPUs%n",
        System.getProperty("os.name"), System.getProperty("os.arch"),
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    String property = System.getProperty(Poll.BACKEND_PROPERTY, "");
    String requested = backend != null ? backend : property.isBlank() ? null : property;
    try (EchoServer server = EchoServer.start(requested, new InetSocketAddress("127.0.0.1", 0))) {
      out.printf("backend: %s (%s)%n", server.backendName(),
          backend != null ? "--backend " + backend
              : requested != null ? "-D" + Poll.BACKEND_PROPERTY + "=" + property
              : "best available");
      out.printf(Locale.ROOT,
          "server:  EchoServer on %s, one event-loop thread%n"
              + "client:  LoadGenerator, %d connections x %d-byte messages, one in flight per"
              + " connection, %s s%n",
          hostAndPort(server.address()), connections, size, seconds(duration.toNanos()));

      LoadGenerator.Result r = LoadGenerator.run(
          new LoadGenerator.Options(server.address(), server.backendName(), connections, size,
              duration, Long.MAX_VALUE),
          out);
      long serverCpu = server.cpuTimeNanos();

      out.println();
      r.printTable(out);
      out.println();
      long wall = r.elapsed().toNanos();
      out.printf(Locale.ROOT, "%,d round trips in %s s; CPU: server thread %s, client thread %s%n",
          r.roundTrips(), seconds(wall), cpu(serverCpu, wall), cpu(r.cpuNanos(), wall));
      out.println("(a smoke measurement of this machine, not a benchmark: see benchmarks/)");
    }
  }

  private static String cpu(long cpuNanos, long wallNanos) {
    if (cpuNanos < 0) {
      return "not measurable here";
    }
    return String.format(Locale.ROOT, "%s s (%.0f%% of a core)", seconds(cpuNanos),
        100.0 * cpuNanos / wallNanos);
  }

  private static String hostAndPort(InetSocketAddress a) {
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
  }

  private static final String USAGE = String.join("\n",
      "usage: EchoDemo [--backend NAME] [--connections N] [--size BYTES] [--duration SECONDS]",
      "                [--help]",
      "",
      "Starts a poll4j echo server on 127.0.0.1 and a poll4j load generator against it in this",
      "process, both on one backend, shows a progress line once a second, then a table of",
      "round trips per second and latency percentiles.",
      "",
      "  --backend NAME       epoll, poll, ...; default: -D" + Poll.BACKEND_PROPERTY
          + ", else the best available",
      "  --connections N      client connections, 1.." + LoadGenerator.MAX_CONNECTIONS
          + " (default 50)",
      "  --size BYTES         message size, 1.." + LoadGenerator.MAX_MESSAGE_SIZE
          + " (default 64)",
      "  --duration SECONDS   how long to send, 0.1.." + LoadGenerator.MAX_SECONDS
          + " (default 5)",
      "  --help               this text");
}
