package dev.poll4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.poll4j.BackendStatus;
import dev.poll4j.Poll;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Choosing the backend (DESIGN.md "Backends and the SPI"): the system property wins, otherwise the
 * best available backend; failures list every backend and why it cannot be used. Runs with both
 * backend modules on the class path, as an application on Linux would.
 */
class BackendSelectionTest {
  private static final List<String> ALL = List.of("epoll", "kqueue", "iocp", "poll");
  private String saved;

  @BeforeEach
  void saveProperty() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "expectations are Linux's");
    saved = System.getProperty(Poll.BACKEND_PROPERTY);
    System.clearProperty(Poll.BACKEND_PROPERTY);
  }

  @AfterEach
  void restoreProperty() {
    if (saved == null) {
      System.clearProperty(Poll.BACKEND_PROPERTY);
    } else {
      System.setProperty(Poll.BACKEND_PROPERTY, saved);
    }
  }

  @Test
  @Timeout(10)
  void withoutThePropertyLinuxGetsEpoll() throws IOException {
    try (Poll poll = Poll.open()) {
      assertEquals("epoll", poll.backendName());
      assertTrue(!poll.emulatesEdge());
    }
  }

  @Test
  @Timeout(10)
  void thePropertySelectsThePollBackend() throws IOException {
    assertEquals("poll4j.backend", Poll.BACKEND_PROPERTY);
    System.setProperty(Poll.BACKEND_PROPERTY, "poll");
    try (Poll poll = Poll.open()) {
      assertEquals("poll", poll.backendName());
      assertTrue(poll.emulatesEdge());
    }
    System.setProperty(Poll.BACKEND_PROPERTY, "epoll");
    try (Poll poll = Poll.open()) {
      assertEquals("epoll", poll.backendName());
    }
  }

  @Test
  @Timeout(10)
  void anUnusableBackendInThePropertyFailsInsteadOfFallingBack() {
    System.setProperty(Poll.BACKEND_PROPERTY, "kqueue");
    IOException e = assertThrows(IOException.class, Poll::open);
    assertListsEveryBackend(e.getMessage(), "kqueue");
    assertTrue(e.getMessage().contains("-Dpoll4j.backend=kqueue"), e.getMessage());
  }

  @Test
  @Timeout(10)
  void openingKqueueOnLinuxFailsListingEveryBackendAndWhy() {
    IOException e = assertThrows(IOException.class, () -> Poll.open("kqueue"));
    assertListsEveryBackend(e.getMessage(), "kqueue");
    assertTrue(e.getMessage().contains("not installed"), e.getMessage());
    assertTrue(e.getMessage().contains("Linux"), "names the platform: " + e.getMessage());
  }

  @Test
  @Timeout(10)
  void openingAnUnknownBackendFailsListingEveryBackend() {
    IOException e = assertThrows(IOException.class, () -> Poll.open("select"));
    assertTrue(e.getMessage().contains("unknown poll4j backend 'select'"), e.getMessage());
    assertListsEveryBackend(e.getMessage(), "select");
  }

  @Test
  @Timeout(10)
  void backendsReportsEveryBackendWithItsAvailability() {
    Map<String, BackendStatus> byName =
        Poll.backends().stream()
            .collect(Collectors.toMap(BackendStatus::name, Function.identity()));
    assertEquals(new java.util.HashSet<>(ALL), byName.keySet(), byName.toString());
    assertTrue(byName.get("epoll").available(), byName.toString());
    assertTrue(byName.get("poll").available(), byName.toString());
    assertTrue(byName.get("epoll").priority() > byName.get("poll").priority(), byName.toString());
    // kqueue is on this module's class path (its suite runs on macOS and the BSDs), so it is
    // installed and unavailable here, with the reason; iocp is not installed.
    BackendStatus kqueue = byName.get("kqueue");
    assertTrue(kqueue.installed() && !kqueue.available(), kqueue.toString());
    assertTrue(kqueue.reason().contains("macOS and the BSDs"), "says why: " + kqueue);
    BackendStatus iocp = byName.get("iocp");
    assertTrue(!iocp.installed() && !iocp.available(), iocp.toString());
    assertTrue(iocp.reason().contains("poll4j-iocp"), "says what to add: " + iocp);
  }

  /** The message lists every backend, each on a line with its status or reason. */
  private static void assertListsEveryBackend(String message, String requested) {
    assertTrue(message.contains("'" + requested + "'"), message);
    for (String name : ALL) {
      String line =
          message.lines().filter(l -> l.strip().startsWith(name + ":")).findFirst().orElse(null);
      assertTrue(line != null, "no line for " + name + " in: " + message);
      if (name.equals("epoll") || name.equals("poll")) {
        assertTrue(line.contains("available"), line);
      } else if (name.equals("kqueue")) {
        assertTrue(line.contains("not available") && line.contains("macOS and the BSDs"), line);
      } else {
        assertTrue(line.contains("not installed") && line.contains("poll4j-" + name), line);
      }
    }
  }
}
