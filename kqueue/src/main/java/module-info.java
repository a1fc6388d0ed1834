/**
 * poll4j's macOS and BSD backend: kqueue for readiness, {@code EVFILT_USER} or a pipe for
 * wake-ups.
 *
 * <p>Nothing is exported: the module only provides {@link dev.poll4j.spi.Backend}, found by
 * {@code Poll.open()} through the service loader (or {@code META-INF/services} on the class
 * path).
 */
module dev.poll4j.kqueue {
  requires dev.poll4j;
  requires com.sun.jna;

  provides dev.poll4j.spi.Backend with
      dev.poll4j.kqueue.KqueueBackend;
}
