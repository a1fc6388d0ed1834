package dev.poll4j.iocp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

/** The provider: its identity, rank, availability and discovery through the service loader. */
class IocpBackendTest {
  @Test
  void identityIsANativeQueueThatEmulatesEdgeMode() {
    IocpBackend b = new IocpBackend();
    assertEquals("iocp", b.name());
    assertEquals(100, b.priority());
    assertTrue(b.emulatesEdge());
  }

  @Test
  void theLoaderListsIocpAboveThePortablePollBackend() {
    BackendStatus iocp = null;
    BackendStatus poll = null;
    for (BackendStatus s : Poll.backends()) {
      if (s.name().equals("iocp")) {
        iocp = s;
      } else if (s.name().equals("poll")) {
        poll = s;
      }
    }
    assertNotNull(iocp, "the service loader finds the iocp backend: " + Poll.backends());
    assertNotNull(poll, "core's poll backend is installed: " + Poll.backends());
    assertTrue(iocp.installed());
    assertTrue(iocp.priority() > poll.priority(),
        "on Windows the loader must pick iocp: the available backend with the highest priority");
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, disabledReason = "checks the refusal on a system without IOCP")
  void unavailableOnLinuxWithAClearCause() {
    IocpBackend b = new IocpBackend();
    assertFalse(b.isAvailable());
    assertNotNull(b.unavailabilityCause());
    assertEquals("IOCP needs Windows; os.name is Linux", b.unavailabilityCause().getMessage());
    IllegalStateException e = assertThrows(IllegalStateException.class, b::open);
    assertEquals(b.unavailabilityCause(), e.getCause());
  }

  @Test
  @EnabledOnOs(value = OS.WINDOWS, disabledReason = "checks the backend on its own system")
  void availableOnWindowsAndWhatPollOpenPicksThere() throws IOException {
    IocpBackend b = new IocpBackend();
    assertTrue(b.isAvailable(), () -> "unavailable on Windows: " + b.unavailabilityCause());
    assertNull(b.unavailabilityCause());
    try (Poll poll = Poll.open()) {
      assertEquals("iocp", poll.backendName());
      assertTrue(poll.emulatesEdge());
    }
  }

  @Test
  void platformProblemIsDecidedFromNamesAlone() {
    assertNull(IocpBackend.platformProblem("Windows 11", "64"));
    assertNull(IocpBackend.platformProblem("Windows Server 2022", "64"));
    assertEquals("IOCP needs Windows; os.name is Mac OS X",
        IocpBackend.platformProblem("Mac OS X", "64").getMessage());
    assertEquals("poll4j's IOCP bindings need a 64-bit JVM (the AFD layouts are x64's);"
        + " this one is 32-bit", IocpBackend.platformProblem("Windows 10", "32").getMessage());
  }

  @Test
  void moduleProvidesTheBackend() {
    ModuleDescriptor descriptor = IocpBackend.class.getModule().getDescriptor();
    assumeTrue(descriptor != null, "tests run on the class path, not as module dev.poll4j.iocp");
    assertTrue(
        descriptor.provides().stream()
            .anyMatch(
                p ->
                    p.service().equals(Backend.class.getName())
                        && p.providers().equals(List.of(IocpBackend.class.getName()))),
        descriptor.provides().toString());
  }

  @Test
  void classPathServiceFileNamesTheBackend() throws IOException {
    String name = "META-INF/services/" + Backend.class.getName();
    try (InputStream in = IocpBackend.class.getModule().getResourceAsStream(name)) {
      assertNotNull(in, name);
      String content = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      assertEquals(IocpBackend.class.getName(), content);
    }
  }
}
