package dev.poll4j.internal.poll;

import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.Fcntl;
import dev.poll4j.internal.posix.sys.Poll;
import dev.poll4j.internal.posix.sys.Stat;
import dev.poll4j.internal.posix.sys.Unistd;
import dev.poll4j.spi.Backend;
import dev.poll4j.spi.BackendSelector;
import java.io.IOException;

/**
 * The portable poll(2) backend: available wherever its bindings load, ranked below the native
 * queue of the OS. Edge and oneshot modes are emulated (see {@link PollSelector}).
 */
public final class PollBackend implements Backend {
  /** The name used with {@code -Dpoll4j.backend}. */
  public static final String NAME = "poll";

  private static final Throwable UNAVAILABILITY = probe();

  /** Creates the backend; cheap, never throws (availability is probed once per class). */
  public PollBackend() {}

  private static Throwable probe() {
    try {
      // Initialising these binds every native function the backend calls.
      for (Class<?> c :
          new Class<?>[] {Errno.class, Unistd.class, Fcntl.class, Poll.class, Stat.class}) {
        Class.forName(c.getName(), true, c.getClassLoader());
      }
      return null;
    } catch (Throwable t) {
      return t instanceof ExceptionInInitializerError && t.getCause() != null ? t.getCause() : t;
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
    return 10;
  }

  @Override
  public boolean emulatesEdge() {
    return true;
  }

  @Override
  public BackendSelector open() throws IOException {
    if (UNAVAILABILITY != null) {
      throw new IllegalStateException("the poll backend is not available", UNAVAILABILITY);
    }
    return new PollSelector();
  }
}
