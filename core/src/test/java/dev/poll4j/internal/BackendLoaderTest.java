package dev.poll4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackendLoaderTest {
  @Test
  void unavailabilityReasonKeepsTheOriginalCauseOfAFailedClassInitialisation() {
    var original = new ExceptionInInitializerError("poll4j's errno table covers Linux only so far");
    var later = new NoClassDefFoundError("Could not initialize class dev.poll4j.X");
    later.initCause(original);
    String reason = BackendLoader.describe(later);
    assertEquals(
        "Could not initialize class dev.poll4j.X; caused by: poll4j's errno table covers Linux"
            + " only so far",
        reason);
  }

  @Test
  void jnaLibraryFailuresNameTheSettingsThatFixThem() {
    var e = new UnsatisfiedLinkError("JNA temporary directory '/tmp' is not writable");
    String reason = BackendLoader.describe(new IllegalStateException("cannot bind", e));
    assertTrue(reason.startsWith("cannot bind; caused by: JNA temporary directory"), reason);
    assertTrue(reason.contains("-Djna.tmpdir=DIR"), reason);
    assertTrue(reason.contains("-Djna.boot.library.path=DIR"), reason);
  }

  @Test
  void listingNamesEveryKnownBackend() {
    var names = BackendLoader.statuses().stream().map(s -> s.name()).toList();
    assertTrue(names.containsAll(java.util.List.of("poll", "epoll", "kqueue", "iocp")), names.toString());
  }
}
