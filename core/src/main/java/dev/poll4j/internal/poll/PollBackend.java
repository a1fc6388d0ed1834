package dev.poll4j.internal.poll;

import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.Fcntl;
import dev.poll4j.internal.posix.sys.Os;
import dev.poll4j.internal.posix.sys.Poll;
import dev.poll4j.internal.posix.sys.Stat;
import dev.poll4j.internal.posix.sys.Unistd;
import dev.poll4j.spi.AbstractBackend;
import dev.poll4j.spi.BackendSelector;
import java.io.IOException;

/**
 * The portable poll(2) backend: available wherever its bindings load, ranked below the native
 * queue of the OS. Edge and oneshot modes are emulated (see {@link PollSelector}).
 */
public final class PollBackend extends AbstractBackend {
  /** The name used with {@code -Dpoll4j.backend}. */
  public static final String NAME = "poll";

  private static final Throwable UNAVAILABILITY = probe();

  /** Creates the backend; cheap, never throws (availability is probed once per class). */
  public PollBackend() {
    super(NAME, 10, true, UNAVAILABILITY);
  }

  private static Throwable probe() {
    Os os = Os.of(System.getProperty("os.name", ""));
    if (os != null && !os.isPosix()) {
      return new UnsupportedOperationException(
          "poll(2) is POSIX-only; on Windows poll4j polls through the iocp backend");
    }
    // Initialising these binds every native function the backend calls.
    return bind(Errno.class, Unistd.class, Fcntl.class, Poll.class, Stat.class);
  }

  @Override
  protected BackendSelector openSelector() throws IOException {
    return new PollSelector();
  }
}
