package dev.poll4j.spi;

import java.io.IOException;

/**
 * A backend: the factory for one kind of {@link BackendSelector}, found with {@link
 * java.util.ServiceLoader} (module {@code provides}, or {@code META-INF/services} on the class
 * path).
 *
 * <p>Implementations must be cheap to construct and must not throw from the constructor or from
 * {@link #isAvailable()}: availability is a question, not a crash. A backend that cannot load its
 * native library or runs on the wrong OS answers {@code false} and explains why in {@link
 * #unavailabilityCause()}.
 */
public interface Backend {
  /**
   * The backend's name, as used with {@code -Dpoll4j.backend=NAME}.
   *
   * @return a lower-case name such as {@code epoll}, {@code kqueue}, {@code iocp}, {@code poll}
   */
  String name();

  /**
   * Whether this backend works on this machine.
   *
   * @return true if {@link #open()} can be expected to succeed
   */
  boolean isAvailable();

  /**
   * Why the backend is not available.
   *
   * @return the cause, or null when {@link #isAvailable()} is true
   */
  Throwable unavailabilityCause();

  /**
   * The rank among available backends when none is named: the highest wins. The native queue of
   * the OS (epoll, kqueue, IOCP) uses 100, the portable poll(2) fallback 10.
   *
   * @return the priority
   */
  int priority();

  /**
   * Whether this backend emulates edge-triggered mode (see {@link
   * BackendSelector#emulatesEdge()}).
   *
   * @return true for poll(2) and IOCP
   */
  boolean emulatesEdge();

  /**
   * Opens a new kernel event queue.
   *
   * @return a new selector; the caller closes it
   * @throws IOException if the queue cannot be created
   * @throws IllegalStateException if the backend is not available
   */
  BackendSelector open() throws IOException;
}
