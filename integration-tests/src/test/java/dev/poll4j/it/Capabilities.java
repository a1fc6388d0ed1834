package dev.poll4j.it;

/**
 * The documented differences between backends, for tests that must assert different outcomes per
 * backend. Everything not listed here is the same contract on every backend.
 *
 * <p>Besides what the event queue reports, a backend brings its system's sources along: the
 * methods below the components say which of the suite's sources exist where the backend runs
 * ({@link #rawDescriptors()}, {@link #unixDatagrams()}, {@link #socketPairs()}), and how its
 * pipes and datagram errors differ ({@link #socketPipes()}, {@link #reportsPortUnreachable()}).
 *
 * @param backend the backend's name, as given to {@code Poll.open(String)}
 * @param emulatesEdge edge mode is emulated: a reported readiness is dropped until an I/O call
 *     through poll4j (or {@code RawFd.rearm}) saw would-block, so new data without draining gives
 *     no new event. False where the kernel is edge-triggered natively.
 * @param osPrefix the {@code os.name} prefixes of the systems the backend exists on, separated by
 *     {@code |}, or null for any POSIX system
 * @param windows the backend runs on Windows: Winsock sockets, no POSIX descriptors
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
    boolean windows,
    boolean reportsPriority,
    boolean reportsLocalReadShutdown,
    boolean reportsLocalWriteShutdown) {
  /** Whether this JVM runs on Linux, whose poll(2) knows POLLRDHUP and POLLPRI for TCP. */
  private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");

  /** Linux epoll: native edge mode. */
  static final Capabilities EPOLL =
      new Capabilities("epoll", false, "Linux", false, true, true, false);

  /**
   * The portable poll(2) backend: emulated edge and oneshot modes. Its socket readiness is the
   * host kernel's: the Linux values here, the BSD ones where the BSD sockets arrive.
   */
  static final Capabilities POLL = new Capabilities("poll", true, null, false, LINUX, LINUX, false);

  /**
   * kqueue on macOS and the BSDs: native edge mode; no {@code PRIORITY} filter; {@code
   * shutdownOutput()} reports write-closed ({@code EVFILT_WRITE} with {@code EV_EOF}).
   */
  static final Capabilities KQUEUE =
      new Capabilities(
          "kqueue", false, "Mac|Darwin|FreeBSD|OpenBSD|NetBSD", false, false, true, true);

  /**
   * IOCP with AFD polls on Windows (abi.md A.3 to A.5): edge mode emulated (AFD polls are
   * one-shot; reported readiness is dropped until would-block, as in mio), level and oneshot from
   * re-arming or not after each completion. {@code PRIORITY} is not claimed: the selector asks AFD
   * for {@code RECEIVE_EXPEDITED}, but no run has shown Windows report urgent data through it
   * (mio's priority tests are Linux-only), so the urgent-data tests are skipped until the Windows
   * job proves it. AFD has no event for a local shutdown of either half (mio ignores those tests
   * on Windows).
   */
  static final Capabilities IOCP =
      new Capabilities("iocp", true, "Windows", true, false, false, false);

  /**
   * Whether {@code RawFd} exists, and with it the suite's {@link EventFd} (an eventfd on Linux, a
   * Unix socket pair elsewhere): POSIX descriptors. Windows has none; its backend polls sockets.
   *
   * @return false on Windows
   */
  boolean rawDescriptors() {
    return !windows;
  }

  /**
   * Whether Unix domain datagram sockets exist: Windows' {@code AF_UNIX} (Windows 10 1803 and
   * later) is {@code SOCK_STREAM} only.
   *
   * @return false on Windows
   */
  boolean unixDatagrams() {
    return !windows;
  }

  /**
   * Whether {@code socketpair} exists ({@code UnixStream.pair()}, {@code UnixDatagram.pair()}).
   * Without it, the suite connects its Unix stream pairs through a listener on a path.
   *
   * @return false on Windows
   */
  boolean socketPairs() {
    return !windows;
  }

  /**
   * Whether {@code Pipe} is a loopback TCP pair rather than a POSIX pipe (Windows): a write after
   * the read end was closed fails with the connection's reset, not {@code EPIPE}; and data moves
   * through the TCP stack, so a pipe is full only once nothing more fits after a pause.
   *
   * @return true on Windows
   */
  boolean socketPipes() {
    return windows;
  }

  /**
   * Whether an ICMP port unreachable for a connected UDP socket becomes an error event and a
   * {@code PortUnreachableException}: not on Windows, where poll4j turns {@code
   * SIO_UDP_CONNRESET} off (as the JDK does), so that one peer's ICMP does not fail the next
   * receive from another.
   *
   * @return false on Windows
   */
  boolean reportsPortUnreachable() {
    return !windows;
  }

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

  /**
   * Where the backend exists, for the reason of a skip.
   *
   * @return such as {@code "Windows"} or {@code "POSIX (not Windows)"}
   */
  String systems() {
    return osPrefix == null ? "POSIX (not Windows)" : osPrefix.replace("|", ", ");
  }
}
