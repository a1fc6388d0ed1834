package dev.poll4j.it.peers;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Assumptions;

/**
 * A program from Debian's packages that a test talks to: found on the {@code PATH}, started on
 * loopback, and always stopped.
 *
 * <p>A missing program fails the test under CI ({@code CI=true}, where {@code .ci/run} installs
 * the packages) and skips it elsewhere, with a message naming the package to install. Output
 * of every process goes to {@code target/peers/}, and is quoted when a process misbehaves.
 * Nothing here sends a byte: readiness of a listening peer is read from {@code /proc/net}.
 */
final class Peer implements AutoCloseable {
  /** Where process output and scratch files go. */
  static final Path DIR = Path.of("target", "peers");
  /** How long a peer may take to start listening. */
  private static final Duration START_LIMIT = Duration.ofSeconds(10);

  private final String name;
  private final Process process;
  private final Path log;

  private Peer(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * The path of an installed program; fails under CI and skips elsewhere if it is missing.
   *
   * @param program such as {@code curl} or {@code redis-server}
   * @param debianPackage the package that installs it
   */
  static String require(String program, String debianPackage) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "")
        .split(":")));
    dirs.addAll(List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"));
    for (String dir : dirs) {
      if (!dir.isEmpty()) {
        Path p = Path.of(dir, program);
        if (Files.isExecutable(p)) {
          return p.toString();
        }
      }
    }
    String message = program + " is not installed: apt-get install " + debianPackage
        + " (.ci/run installs it)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(message + "; under CI the real-peer tests are required");
    }
    return Assumptions.abort(message); // throws: the test is skipped, with the reason
  }

  /** A TCP port on 127.0.0.1 that was free a moment ago. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts a process; its output goes to {@code target/peers/NAME-N.log}. */
  static Peer start(String name, List<String> command) throws IOException {
    Files.createDirectories(DIR);
    Path log = Files.createTempFile(DIR, name + "-", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullFile()));
    return new Peer(name, pb.start(), log);
  }

  /**
   * Starts a server on a free port and waits until it listens on 127.0.0.1 there; tries
   * another port if the first was taken in the meantime.
   *
   * @param name for the log file
   * @param udp whether it listens on UDP rather than TCP
   * @param command the command line for a given port
   * @return the running peer; its port is {@link #port}
   */
  static Listening listen(String name, boolean udp, IntFunction<List<String>> command)
      throws IOException, InterruptedException {
    String failures = "";
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      Peer p = start(name, command.apply(port));
      try {
        if (p.awaitListening(port, udp)) {
          return new Listening(p, port);
        }
      } catch (RuntimeException | Error e) {
        p.close();
        throw e;
      }
      failures += "\n--- port " + port + ":\n" + p.output();
      p.close();
    }
    throw new AssertionError(name + " did not start listening in 3 attempts:" + failures);
  }

  // True once the port is listening; false if the process exited first (a port taken, say).
  private boolean awaitListening(int port, boolean udp) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (ProcNet.listening(port, udp)) {
        return true;
      }
      if (!process.isAlive()) {
        return false;
      }
      Thread.sleep(10);
    }
    throw new AssertionError(name + " is not listening on 127.0.0.1:" + port + " after "
        + START_LIMIT.toSeconds() + " s:\n" + output());
  }

  /** Waits for the process to end, then returns its exit code; fails after {@code limit}. */
  int waitFor(Duration limit) throws IOException, InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not end within " + limit.toMillis() + " ms:\n"
          + output());
    }
    return process.exitValue();
  }

  /** What the process printed so far. */
  String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and waits for it. Idempotent. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }

  /**
   * Runs a command to its end, with standard input from a file (or nothing), and returns what
   * it printed on standard output; fails if it does not end within {@code limit}.
   */
  static Run run(Duration limit, Path stdin, List<String> command)
      throws IOException, InterruptedException {
    Files.createDirectories(DIR);
    Path out = Files.createTempFile(DIR, "stdout-", ".bin");
    Path err = Files.createTempFile(DIR, "stderr-", ".txt");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(stdin != null ? stdin.toFile() : nullFile()))
        .start();
    try {
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(String.join(" ", command) + " did not end within "
            + limit.toMillis() + " ms; stderr:\n" + Files.readString(err));
      }
      return new Run(p.exitValue(), Files.readAllBytes(out),
          Files.readString(err, StandardCharsets.UTF_8), String.join(" ", command));
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static java.io.File nullFile() {
    return new java.io.File("/dev/null");
  }

  /** A peer listening on a port of 127.0.0.1. */
  record Listening(Peer peer, int port) implements AutoCloseable {
    @Override
    public void close() {
      peer.close();
    }
  }

  /** A finished command: exit code, standard output and standard error. */
  record Run(int exitCode, byte[] stdout, String stderr, String command) {
    String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    /** Fails unless the command exited with 0. */
    Run expectSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(command + " exited with " + exitCode + "; stderr:\n" + stderr);
      }
      return this;
    }
  }

  /** Reads listening sockets from {@code /proc/net/tcp} and {@code /proc/net/udp}. */
  static final class ProcNet {
    private ProcNet() {}

    /** Whether something listens on 127.0.0.1 (or the wildcard) at {@code port}. */
    static boolean listening(int port, boolean udp) throws IOException {
      // Columns: sl local_address rem_address st ...; addresses are HEXIP:HEXPORT, and the
      // state of a listening TCP socket is 0A, of an unconnected UDP socket 07.
      String wantedPort = String.format(Locale.ROOT, ":%04X", port);
      String wantedState = udp ? "07" : "0A";
      for (String line : Files.readAllLines(Path.of(udp ? "/proc/net/udp" : "/proc/net/tcp"))) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3 && f[1].endsWith(wantedPort) && f[3].equals(wantedState)
            && (f[1].startsWith("0100007F:") || f[1].startsWith("00000000:"))) {
          return true;
        }
      }
      return false;
    }
  }
}
