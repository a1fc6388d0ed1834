package dev.poll4j.it;

/**
 * The documented differences between backends, for tests that must assert different outcomes per
 * backend. Everything not listed here is the same contract on every backend.
 *
 * @param backend the backend's name, as given to {@code Poll.open(String)}
 * @param emulatesEdge edge mode is emulated: a reported readiness is dropped until an I/O call
 *     through poll4j (or {@code RawFd.rearm}) saw would-block, so new data without draining gives
 *     no new event. False where the kernel is edge-triggered natively.
 * @param osPrefix the {@code os.name} prefix of the systems the backend exists on, or null for any
 *     POSIX system
 */
record Capabilities(String backend, boolean emulatesEdge, String osPrefix) {
  /** Linux epoll: native edge mode. */
  static final Capabilities EPOLL = new Capabilities("epoll", false, "Linux");

  /** The portable poll(2) backend: emulated edge and oneshot modes. */
  static final Capabilities POLL = new Capabilities("poll", true, null);

  /**
   * Whether the backend belongs on this operating system.
   *
   * @return true if the suite should run against it here
   */
  boolean belongsHere() {
    String os = System.getProperty("os.name", "");
    return osPrefix == null ? !os.startsWith("Windows") : os.startsWith(osPrefix);
  }
}
