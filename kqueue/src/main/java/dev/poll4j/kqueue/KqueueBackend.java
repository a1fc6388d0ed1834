package dev.poll4j.kqueue;

import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.Fcntl;
import dev.poll4j.internal.posix.sys.Unistd;
import dev.poll4j.kqueue.sys.KeventLayout;
import dev.poll4j.kqueue.sys.KeventSizeT;
import dev.poll4j.kqueue.sys.Kqueue;
import dev.poll4j.spi.AbstractBackend;
import dev.poll4j.spi.BackendSelector;
import java.io.IOException;

/**
 * The kqueue backend of macOS, FreeBSD (12 and later), OpenBSD and NetBSD: native edge, level and
 * oneshot modes, {@code EVFILT_USER} wake-ups where the OS has it (macOS, FreeBSD, NetBSD 10+,
 * OpenBSD 7.8+) and a pipe elsewhere, nanosecond timeouts. The {@code struct kevent} layout and
 * the filter numbers are chosen at run time from the OS name and version ({@link KeventLayout}).
 * Ranked with epoll, above the portable poll(2) backend; unavailable, with the reason, elsewhere.
 */
public final class KqueueBackend extends AbstractBackend {
  /** The name used with {@code -Dpoll4j.backend}. */
  public static final String NAME = "kqueue";

  private static final Throwable UNAVAILABILITY = probe();

  /** Creates the backend; cheap, never throws (availability is probed once per class). */
  public KqueueBackend() {
    super(NAME, 100, false, UNAVAILABILITY);
  }

  /**
   * Why kqueue cannot be used on a platform, decided from its names alone (no native call).
   *
   * @param osName {@code os.name}
   * @param osVersion {@code os.version}
   * @param arch {@code os.arch}
   * @return the reason, or null when the platform has a kqueue poll4j can bind
   */
  static Throwable platformProblem(String osName, String osVersion, String arch) {
    try {
      KeventLayout.forPlatform(osName, osVersion, arch);
      return null;
    } catch (UnsupportedOperationException e) {
      return e;
    }
  }

  private static Throwable probe() {
    Throwable t = platformProblem(System.getProperty("os.name", "?"),
        System.getProperty("os.version", "0"), System.getProperty("os.arch", "?"));
    if (t != null) {
      return t;
    }
    if (!"64".equals(System.getProperty("sun.arch.data.model", "64"))) {
      return new UnsupportedOperationException(
          "poll4j's kqueue bindings need a 64-bit JVM; this one is "
              + System.getProperty("os.arch"));
    }
    // Initialising these binds every native function the backend needs.
    return KeventLayout.current().sizeTCounts()
        ? bind(Errno.class, Fcntl.class, Unistd.class, Kqueue.class, KeventSizeT.class)
        : bind(Errno.class, Fcntl.class, Unistd.class, Kqueue.class);
  }

  @Override
  protected BackendSelector openSelector() throws IOException {
    KeventLayout layout = KeventLayout.current();
    return new KqueueSelector(new NativeKqueueCalls(layout), layout, layout.hasUserFilter());
  }
}
