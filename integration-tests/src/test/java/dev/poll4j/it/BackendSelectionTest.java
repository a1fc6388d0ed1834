package dev.poll4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Choosing the backend (DESIGN.md "Backends and the SPI"): the system property wins, otherwise the
 * best available backend; failures list every backend and why it cannot be used. Runs with every
 * backend module on the class path, as an application that ships them all would; the expectations
 * are Linux's and Windows'.
 */
class BackendSelectionTest {
  private static final List<String> ALL = List.of("epoll", "kqueue", "iocp", "poll");
  private String saved;

  @BeforeEach
  void saveProperty() {
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
  @EnabledOnOs(value = OS.LINUX, disabledReason = "expects Linux's backends")
  void withoutThePropertyLinuxGetsEpoll() throws IOException {
    try (Poll poll = Poll.open()) {
      assertEquals("epoll", poll.backendName());
      assertTrue(!poll.emulatesEdge());
    }
  }

  @Test
  @Timeout(10)
  @EnabledOnOs(value = OS.LINUX, disabledReason = "expects Linux's backends")
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
  @EnabledOnOs(value = OS.LINUX, disabledReason = "expects Linux's backends")
  void anUnusableBackendInThePropertyFailsInsteadOfFallingBack() {
    System.setProperty(Poll.BACKEND_PROPERTY, "kqueue");
    IOException e = assertThrows(IOException.class, Poll::open);
    assertListsEveryBackendOnLinux(e.getMessage(), "kqueue");
    assertTrue(e.getMessage().contains("-Dpoll4j.backend=kqueue"), e.getMessage());
  }

  @Test
  @Timeout(10)
  @EnabledOnOs(value = OS.LINUX, disabledReason = "expects Linux's backends")
  void openingKqueueOnLinuxFailsListingEveryBackendAndWhy() {
    IOException e = assertThrows(IOException.class, () -> Poll.open("kqueue"));
    assertListsEveryBackendOnLinux(e.getMessage(), "kqueue");
    assertTrue(e.getMessage().contains("not available"), e.getMessage());
    assertTrue(e.getMessage().contains("Linux"), "names the platform: " + e.getMessage());
  }

  @Test
  @Timeout(10)
  @EnabledOnOs(value = OS.LINUX, disabledReason = "expects Linux's backends")
  void openingAnUnknownBackendFailsListingEveryBackend() {
    IOException e = assertThrows(IOException.class, () -> Poll.open("select"));
    assertTrue(e.getMessage().contains("unknown poll4j backend 'select'"), e.getMessage());
    assertListsEveryBackendOnLinux(e.getMessage(), "select");
  }

  @Test
  @Timeout(10)
  @EnabledOnOs(value = OS.LINUX, disabledReason = "expects Linux's backends")
  void backendsReportsEveryBackendWithItsAvailability() {
    Map<String, BackendStatus> byName = byName();
    assertTrue(byName.get("epoll").available(), byName.toString());
    assertTrue(byName.get("poll").available(), byName.toString());
    assertTrue(byName.get("epoll").priority() > byName.get("poll").priority(), byName.toString());
    // kqueue and iocp are on this module's class path (their suites run on their systems), so
    // they are installed and unavailable here, each with the reason.
    BackendStatus kqueue = byName.get("kqueue");
    assertTrue(kqueue.installed() && !kqueue.available(), kqueue.toString());
    assertTrue(kqueue.reason().contains("macOS and the BSDs"), "says why: " + kqueue);
    BackendStatus iocp = byName.get("iocp");
    assertTrue(iocp.installed() && !iocp.available(), iocp.toString());
    assertEquals("IOCP needs Windows; os.name is Linux", iocp.reason(), "says why: " + iocp);
  }

  @Test
  @Timeout(10)
  @EnabledOnOs(value = OS.WINDOWS, disabledReason = "expects Windows' backends")
  void withoutThePropertyWindowsGetsIocp() throws IOException {
    Map<String, BackendStatus> byName = byName();
    assertTrue(byName.get("iocp").available(), byName.toString());
    try (Poll poll = Poll.open()) {
      assertEquals("iocp", poll.backendName());
      assertTrue(poll.emulatesEdge());
    }
  }

  @Test
  @Timeout(10)
  @EnabledOnOs(value = OS.WINDOWS, disabledReason = "expects Windows' backends")
  void onWindowsEveryOtherBackendIsRefusedWithItsReason() {
    Map<String, BackendStatus> byName = byName();
    for (String name : List.of("epoll", "kqueue", "poll")) {
      BackendStatus s = byName.get(name);
      assertTrue(s.installed() && !s.available(), s.toString());
    }
    assertTrue(byName.get("poll").reason().contains("POSIX-only"), byName.toString());
    System.setProperty(Poll.BACKEND_PROPERTY, "poll");
    IOException e = assertThrows(IOException.class, Poll::open);
    assertTrue(e.getMessage().contains("'poll'"), e.getMessage());
    assertTrue(e.getMessage().contains("-Dpoll4j.backend=poll"), e.getMessage());
    for (String name : ALL) {
      assertTrue(
          e.getMessage().lines().anyMatch(l -> l.strip().startsWith(name + ":")),
          "no line for " + name + " in: " + e.getMessage());
    }
  }

  private static Map<String, BackendStatus> byName() {
    Map<String, BackendStatus> byName =
        Poll.backends().stream()
            .collect(Collectors.toMap(BackendStatus::name, Function.identity()));
    assertEquals(new java.util.HashSet<>(ALL), byName.keySet(), byName.toString());
    return byName;
  }

  /** The message lists every backend, each on a line with its status or reason (Linux's). */
  private static void assertListsEveryBackendOnLinux(String message, String requested) {
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
        assertTrue(line.contains("not available") && line.contains("IOCP needs Windows"), line);
      }
    }
  }
}
