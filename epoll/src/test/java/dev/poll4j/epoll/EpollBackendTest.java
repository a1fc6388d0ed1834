package dev.poll4j.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.poll4j.BackendStatus;
import dev.poll4j.Poll;
import dev.poll4j.spi.Backend;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The provider: its identity, availability and discovery through the service loader. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "epoll exists on Linux only")
class EpollBackendTest {
  @Test
  void backendIsAvailableOnLinuxWithNativeEdgeModeAndTopPriority() {
    EpollBackend b = new EpollBackend();
    assertEquals("epoll", b.name());
    assertTrue(b.isAvailable(), () -> "unavailable: " + b.unavailabilityCause());
    assertNull(b.unavailabilityCause());
    assertEquals(100, b.priority());
    assertFalse(b.emulatesEdge());
  }

  @Test
  void moduleProvidesTheBackend() {
    ModuleDescriptor descriptor = EpollBackend.class.getModule().getDescriptor();
    assumeTrue(descriptor != null, "tests run on the class path, not as module dev.poll4j.epoll");
    assertTrue(
        descriptor.provides().stream()
            .anyMatch(
                p ->
                    p.service().equals(Backend.class.getName())
                        && p.providers().equals(List.of(EpollBackend.class.getName()))),
        descriptor.provides().toString());
  }

  @Test
  void classPathServiceFileNamesTheBackend() throws IOException {
    String name = "META-INF/services/" + Backend.class.getName();
    try (InputStream in = EpollBackend.class.getModule().getResourceAsStream(name)) {
      assertNotNull(in, name);
      String content = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      assertEquals(EpollBackend.class.getName(), content);
    }
  }

  @Test
  void pollOpensEpollByNameAndByDefault() throws IOException {
    try (Poll named = Poll.open("epoll")) {
      assertEquals("epoll", named.backendName());
      assertFalse(named.emulatesEdge());
    }
    if (System.getProperty(Poll.BACKEND_PROPERTY) == null) {
      try (Poll best = Poll.open()) {
        assertEquals("epoll", best.backendName());
      }
    }
  }

  @Test
  void backendListingShowsEpollAvailable() {
    BackendStatus epoll =
        Poll.backends().stream().filter(s -> s.name().equals("epoll")).findFirst().orElseThrow();
    assertTrue(epoll.installed());
    assertTrue(epoll.available(), epoll.toString());
    assertEquals(100, epoll.priority());
  }
}
