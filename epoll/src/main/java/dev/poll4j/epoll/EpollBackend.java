package dev.poll4j.epoll;

import dev.poll4j.epoll.sys.Epoll;
import dev.poll4j.epoll.sys.EpollPwait2;
import dev.poll4j.epoll.sys.Eventfd;
import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.Unistd;
import dev.poll4j.spi.AbstractBackend;
import dev.poll4j.spi.BackendSelector;
import java.io.IOException;

/**
 * The Linux epoll backend: native edge, level and oneshot modes, an eventfd for wake-ups, and
 * {@code epoll_pwait2} for sub-millisecond timeouts where the C library and the kernel have it.
 * Available on 64-bit Linux when its bindings load; ranked above the portable poll(2) backend.
 */
public final class EpollBackend extends AbstractBackend {
  /** The name used with {@code -Dpoll4j.backend}. */
  public static final String NAME = "epoll";

  private static final Throwable UNAVAILABILITY = probe();

  /** Creates the backend; cheap, never throws (availability is probed once per class). */
  public EpollBackend() {
    super(NAME, 100, false, UNAVAILABILITY);
  }

  private static Throwable probe() {
    String os = System.getProperty("os.name", "?");
    if (!os.startsWith("Linux")) {
      return new UnsupportedOperationException("epoll is Linux-only; this OS is " + os);
    }
    if (!"64".equals(System.getProperty("sun.arch.data.model", "64"))) {
      return new UnsupportedOperationException(
          "poll4j's epoll bindings need a 64-bit JVM (addresses and sizes are passed as 64-bit"
              + " values); this one is " + System.getProperty("os.arch"));
    }
    // Initialising these binds every native function the backend needs; epoll_pwait2 is
    // optional and binds on its own (EpollPwait2.UNAVAILABILITY).
    return bind(Errno.class, Unistd.class, Epoll.class, Eventfd.class, EpollPwait2.class);
  }

  @Override
  protected BackendSelector openSelector() throws IOException {
    return new EpollSelector(EpollSelector.PWAIT2_ENABLED);
  }
}
