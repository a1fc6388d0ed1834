/**
 * poll4j's Windows backend: an I/O completion port, AFD polls for socket readiness, {@code
 * PostQueuedCompletionStatus} for wake-ups.
 *
 * <p>Nothing is exported: the module only provides {@link dev.poll4j.spi.Backend}, found by
 * {@code Poll.open()} through the service loader (or {@code META-INF/services} on the class
 * path).
 */
module dev.poll4j.iocp {
  requires dev.poll4j;
  requires com.sun.jna;
  requires com.sun.jna.platform;

  provides dev.poll4j.spi.Backend with
      dev.poll4j.iocp.IocpBackend;
}
