package dev.poll4j.kqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
class KqueueBackendTest {
  @Test
  void identityMatchesEpoll() {
    KqueueBackend b = new KqueueBackend();
    assertEquals("kqueue", b.name());
    assertEquals(100, b.priority());
    assertFalse(b.emulatesEdge());
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, disabledReason = "checks the refusal on a system without kqueue")
  void unavailableOnLinuxWithAClearCause() {
    KqueueBackend b = new KqueueBackend();
    assertFalse(b.isAvailable());
    assertNotNull(b.unavailabilityCause());
    assertEquals("kqueue is only available on macOS and the BSDs (this is Linux)",
        b.unavailabilityCause().getMessage());
    IllegalStateException e = assertThrows(IllegalStateException.class, b::open);
    assertEquals(b.unavailabilityCause(), e.getCause());
  }

  @Test
  void platformProblemIsDecidedFromNamesAlone() {
    assertNull(KqueueBackend.platformProblem("Mac OS X", "14.5", "aarch64"));
    assertNull(KqueueBackend.platformProblem("FreeBSD", "14.1-RELEASE", "amd64"));
    assertNull(KqueueBackend.platformProblem("OpenBSD", "7.5", "amd64"));
    assertNull(KqueueBackend.platformProblem("NetBSD", "9.3", "amd64"));
    assertEquals("kqueue is only available on macOS and the BSDs (this is Windows 11)",
        KqueueBackend.platformProblem("Windows 11", "10.0", "amd64").getMessage());
    assertNotNull(KqueueBackend.platformProblem("FreeBSD", "11.4", "amd64"));
  }

  @Test
  void moduleProvidesTheBackend() {
    ModuleDescriptor descriptor = KqueueBackend.class.getModule().getDescriptor();
    assumeTrue(descriptor != null, "tests run on the class path, not as module dev.poll4j.kqueue");
    assertTrue(
        descriptor.provides().stream()
            .anyMatch(
                p ->
                    p.service().equals(Backend.class.getName())
                        && p.providers().equals(List.of(KqueueBackend.class.getName()))),
        descriptor.provides().toString());
  }

  @Test
  void classPathServiceFileNamesTheBackend() throws IOException {
    String name = "META-INF/services/" + Backend.class.getName();
    try (InputStream in = KqueueBackend.class.getModule().getResourceAsStream(name)) {
      assertNotNull(in, name);
      String content = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      assertEquals(KqueueBackend.class.getName(), content);
    }
  }
}
