package dev.poll4j.kqueue;

import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.Fcntl;
import dev.poll4j.kqueue.sys.KeventLayout;
import dev.poll4j.kqueue.sys.KeventSizeT;
import dev.poll4j.kqueue.sys.Kqueue;
import dev.poll4j.kqueue.sys.Pipe;
import dev.poll4j.spi.Backend;
import dev.poll4j.spi.BackendSelector;
import java.io.IOException;

/**
 * The kqueue backend of macOS, FreeBSD (12 and later), OpenBSD and NetBSD: native edge, level and
 * oneshot modes, {@code EVFILT_USER} wake-ups where the OS has it (macOS, FreeBSD, NetBSD 10+,
 * OpenBSD 7.8+) and a pipe elsewhere, nanosecond timeouts. The {@code struct kevent} layout and
 * the filter numbers are chosen at run time from the OS name and version ({@link KeventLayout}).
 * Ranked with epoll, above the portable poll(2) backend; unavailable, with the reason, elsewhere.
 */
public final class KqueueBackend implements Backend {
  /** The name used with {@code -Dpoll4j.backend}. */
  public static final String NAME = "kqueue";

  private static final Throwable UNAVAILABILITY = probe();

  /** Creates the backend; cheap, never throws (availability is probed once per class). */
  public KqueueBackend() {}

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
    try {
      // Initialising these binds every native function the backend needs. Errno still refuses
      // systems other than Linux (its table is Linux's), which keeps this backend unavailable on
      // macOS and the BSDs until the BSD errno tables land.
      Class<?>[] needed = KeventLayout.current().sizeTCounts()
          ? new Class<?>[] {Errno.class, Fcntl.class, Kqueue.class, KeventSizeT.class, Pipe.class}
          : new Class<?>[] {Errno.class, Fcntl.class, Kqueue.class, Pipe.class};
      for (Class<?> c : needed) {
        Class.forName(c.getName(), true, c.getClassLoader());
      }
      return null;
    } catch (Throwable e) {
      return e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean isAvailable() {
    return UNAVAILABILITY == null;
  }

  @Override
  public Throwable unavailabilityCause() {
    return UNAVAILABILITY;
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public boolean emulatesEdge() {
    return false;
  }

  @Override
  public BackendSelector open() throws IOException {
    if (UNAVAILABILITY != null) {
      throw new IllegalStateException("the kqueue backend is not available", UNAVAILABILITY);
    }
    KeventLayout layout = KeventLayout.current();
    return new KqueueSelector(new NativeKqueueCalls(layout), layout, layout.hasUserFilter());
  }
}
