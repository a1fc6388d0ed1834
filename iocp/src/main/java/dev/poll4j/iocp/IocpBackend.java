package dev.poll4j.iocp;

import dev.poll4j.iocp.sys.Iocp;
import dev.poll4j.iocp.sys.Ntdll;
import dev.poll4j.iocp.sys.Windows;
import dev.poll4j.iocp.sys.Winsock;
import dev.poll4j.spi.AbstractBackend;
import dev.poll4j.spi.BackendSelector;
import java.io.IOException;

/**
 * The Windows backend: one I/O completion port per selector, socket readiness through AFD polls
 * ("the wepoll trick", as mio, the smol-rs polling crate and the JDK's own Windows selector do
 * it), wake-ups through {@code PostQueuedCompletionStatus}. Edge mode is emulated ({@link
 * #emulatesEdge()}); level and oneshot modes come from re-arming, or not, after each completion.
 * Ranked with epoll and kqueue (100), above the portable poll(2) backend (10), so on Windows it is
 * the one {@code Poll.open()} picks; unavailable, with the reason, on every other OS and on
 * 32-bit JVMs.
 */
public final class IocpBackend extends AbstractBackend {
  /** The name used with {@code -Dpoll4j.backend}. */
  public static final String NAME = "iocp";
  /** The rank among available backends: the native queue of the OS. */
  public static final int PRIORITY = 100;

  private static final Throwable UNAVAILABILITY = probe();

  /** Creates the backend; cheap, never throws (availability is probed once per class). */
  public IocpBackend() {
    super(NAME, PRIORITY, true, UNAVAILABILITY);
  }

  /**
   * Why IOCP cannot be used on a platform, decided from its names alone (no native call).
   *
   * @param osName {@code os.name}
   * @param dataModel {@code sun.arch.data.model}
   * @return the reason, or null on 64-bit Windows
   */
  static Throwable platformProblem(String osName, String dataModel) {
    String problem = Windows.platformProblem(osName, dataModel);
    return problem == null ? null : new UnsupportedOperationException(problem);
  }

  private static Throwable probe() {
    Throwable t = platformProblem(
        System.getProperty("os.name"), System.getProperty("sun.arch.data.model", "64"));
    if (t != null) {
      return t;
    }
    // Initialising these binds every native function the backend needs.
    return bind(Iocp.class, Ntdll.class, Winsock.class);
  }

  @Override
  protected BackendSelector openSelector() throws IOException {
    return new IocpSelector(new NativeIocpCalls());
  }
}
