package dev.poll4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.BackendStatus;
import dev.poll4j.Poll;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pipe and waker demo and the README's example run and say what they did, on every backend. */
class DemoTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  @Test
  void demoRunsOnEveryAvailableBackend() {
    int ran = 0;
    for (BackendStatus s : Poll.backends()) {
      if (s.available()) {
        String out = run(0, "--backend", s.name(), "--rounds", "200");
        assertTrue(out.contains("chosen: " + s.name() + " (--backend " + s.name() + ")"), out);
        assertTrue(out.contains("waker:     poll woken by thread demo-waker"), out);
        assertTrue(out.contains("read back \"hello, poll4j\""), out);
        assertTrue(out.contains("roundtrip: 200 x"), out);
        ran++;
      }
    }
    assertTrue(ran > 0, "no backend is available: " + Poll.backends());
  }

  @Test
  void demoWithoutArgumentsUsesTheBestAvailableBackend() {
    String expected = Poll.backends().stream().filter(BackendStatus::available)
        .max((a, b) -> Integer.compare(a.priority(), b.priority())).orElseThrow().name();
    String out = run(0, "--rounds", "10");
    assertTrue(out.contains("chosen: " + expected + " (best available)"), out);
  }

  @Test
  void unknownBackendFailsWithTheListingOfBackends() {
    String out = run(1, "--backend", "nosuch");
    assertTrue(out.contains("demo: unknown poll4j backend 'nosuch'"), out);
    assertTrue(out.contains("poll4j backends:"), out);
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertTrue(run(2, "--frobnicate").contains("unknown argument: --frobnicate"));
    assertTrue(run(2, "--rounds").contains("--rounds needs a value"));
    assertTrue(run(2, "--rounds", "0").contains("--rounds < 1: 0"));
    assertTrue(run(0, "--help").startsWith("usage: Demo"));
  }

  @Test
  void readmeExampleRuns() {
    assertTimeoutPreemptively(LIMIT, () -> Hello.main(new String[0]));
  }

  private static String run(int expectedStatus, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int status = assertTimeoutPreemptively(LIMIT, () -> Demo.run(args, out));
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(expectedStatus, status, text);
    return text;
  }
}
