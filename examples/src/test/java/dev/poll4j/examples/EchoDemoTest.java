package dev.poll4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The README demo runs on every backend and prints its table. */
class EchoDemoTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  @ParameterizedTest
  @MethodSource("dev.poll4j.examples.Backends#available")
  void runsOnEveryAvailableBackendAndPrintsTheTable(String backend) {
    String out = run(0, "--backend", backend, "--connections", "8", "--size", "32",
        "--duration", "0.5");
    assertTrue(out.contains("backend: " + backend + " (--backend " + backend + ")"), out);
    assertTrue(out.contains("8 connections x 32-byte messages"), out);
    assertTrue(out.contains("\r  1/1 s"), out); // the progress line
    assertTrue(out.contains("backend   connections  message  round trips/s"), out);
    // The table's row: backend, connections, size, a rate, three durations.
    Pattern row = Pattern.compile("(?m)^" + backend
        + " +8 +32 B +[0-9,]+ +[0-9.]+ [nmu]?s +[0-9.]+ [nmu]?s +[0-9.]+ [nmu]?s$");
    assertTrue(row.matcher(out).find(), out);
    assertTrue(out.contains("CPU: server thread "), out);
  }

  @Test
  void usageErrorsExitWithTwoAndUnknownBackendsWithOne() {
    assertTrue(run(0, "--help").startsWith("usage: EchoDemo"));
    assertTrue(run(2, "--frobnicate").contains("unknown argument: --frobnicate"));
    assertTrue(run(2, "--connections").contains("--connections needs a value"));
    assertTrue(run(2, "--connections", "0").contains("--connections must be in 1..5000: 0"));
    assertTrue(run(2, "--size", "big").contains("--size needs a whole number: big"));
    assertTrue(run(2, "--duration", "0").contains("--duration must be in 0.1..600 s: 0"));
    String out = run(1, "--backend", "nosuch", "--duration", "0.1");
    assertTrue(out.contains("echo demo: unknown poll4j backend 'nosuch'"), out);
  }

  private static String run(int expectedStatus, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int status = assertTimeoutPreemptively(LIMIT, () -> EchoDemo.run(args, out));
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(expectedStatus, status, text);
    return text;
  }
}
