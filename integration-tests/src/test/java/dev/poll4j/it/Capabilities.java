package dev.poll4j.it;

/**
 * The documented differences between backends, for tests that must assert different outcomes per
 * backend. Everything not listed here is the same contract on every backend.
 *
 * @param backend the backend's name, as given to {@code Poll.open(String)}
 * @param emulatesEdge edge mode is emulated: a reported readiness is dropped until an I/O call
 *     through poll4j (or {@code RawFd.rearm}) saw would-block, so new data without draining gives
 *     no new event. False where the kernel is edge-triggered natively.
 * @param osPrefix the {@code os.name} prefixes of the systems the backend exists on, separated by
 *     {@code |}, or null for any POSIX system
 * @param reportsPriority TCP urgent (out-of-band) data gives a {@code PRIORITY} event to a {@code
 *     PRIORITY} registration (peers.md 25: epoll and poll(2) on Linux; kqueue has no such filter)
 * @param reportsLocalReadShutdown {@code shutdownInput()} of a stream gives its own {@code
 *     READABLE} registration a read-closed event (peers.md 21: Linux and the BSDs; not Windows)
 * @param reportsLocalWriteShutdown {@code shutdownOutput()} of a stream gives its own {@code
 *     WRITABLE} registration a write-closed event (peers.md 21: kqueue only; epoll and Linux's
 *     poll(2) have no event for it)
 */
record Capabilities(
    String backend,
    boolean emulatesEdge,
    String osPrefix,
    boolean reportsPriority,
    boolean reportsLocalReadShutdown,
    boolean reportsLocalWriteShutdown) {
  /** Whether this JVM runs on Linux, whose poll(2) knows POLLRDHUP and POLLPRI for TCP. */
  private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");

  /** Linux epoll: native edge mode. */
  static final Capabilities EPOLL = new Capabilities("epoll", false, "Linux", true, true, false);

  /**
   * The portable poll(2) backend: emulated edge and oneshot modes. Its socket readiness is the
   * host kernel's: the Linux values here, the BSD ones where the BSD sockets arrive.
   */
  static final Capabilities POLL = new Capabilities("poll", true, null, LINUX, LINUX, false);

  /**
   * kqueue on macOS and the BSDs: native edge mode; no {@code PRIORITY} filter; {@code
   * shutdownOutput()} reports write-closed ({@code EVFILT_WRITE} with {@code EV_EOF}).
   */
  static final Capabilities KQUEUE =
      new Capabilities("kqueue", false, "Mac|Darwin|FreeBSD|OpenBSD|NetBSD", false, true, true);

  /**
   * Whether the backend belongs on this operating system.
   *
   * @return true if the suite should run against it here
   */
  boolean belongsHere() {
    String os = System.getProperty("os.name", "");
    if (osPrefix == null) {
      return !os.startsWith("Windows");
    }
    for (String prefix : osPrefix.split("\\|")) {
      if (os.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
