package dev.poll4j.internal.posix.sys;

import java.util.Locale;

/**
 * The systems poll4j knows the C ABI of: which numbers its constants have, how its structs are
 * laid out, which optional calls its C library has. The constants of this package are picked per
 * OS through {@link OsConstants}; {@link #of(String)} is a pure function of {@code os.name}, so
 * every system's tables are testable on any host.
 *
 * <p>Five are POSIX systems. {@link #WINDOWS} is known for its sockets only (Winsock 2): the
 * socket columns of the tables hold its values, {@code Pipe} is a loopback socket pair there,
 * and every POSIX-only facility (raw descriptors, poll(2), fcntl) refuses it through {@link
 * #requirePosix(String)}.
 *
 * <p>Linux values are checked against the C headers of the build host by a test that compiles a
 * probe; the values for macOS and the BSDs come from the {@code rust-lang/libc} crate's bindings
 * (see {@code OsConstants}), the values for Windows from the {@code retep998/winapi-rs} crate's
 * transcription of the Windows SDK headers; those are proven on the real systems only by the CI
 * matrix.
 */
public enum Os {
  /** Linux (glibc or musl; x86-64 and aarch64 share every value used here). */
  LINUX("Linux"),
  /** macOS (Darwin, libSystem). */
  MACOS("macOS"),
  /** FreeBSD 12 and later. */
  FREEBSD("FreeBSD"),
  /** OpenBSD. */
  OPENBSD("OpenBSD"),
  /** NetBSD. */
  NETBSD("NetBSD"),
  /** Windows 10 and later, 64-bit: sockets through Winsock 2 only. */
  WINDOWS("Windows");

  private static final Os CURRENT = of(System.getProperty("os.name", ""));

  private final String displayName;

  Os(String displayName) {
    this.displayName = displayName;
  }

  /**
   * The system for an {@code os.name} value.
   *
   * @param osName what the JVM reports as {@code os.name}, such as {@code "Mac OS X"}
   * @return the system, or null when poll4j does not know its ABI (Solaris, AIX, ...)
   */
  public static Os of(String osName) {
    String n = osName.toLowerCase(Locale.ROOT);
    if (n.startsWith("linux")) {
      return LINUX;
    }
    if (n.startsWith("mac") || n.startsWith("darwin")) {
      return MACOS;
    }
    if (n.startsWith("freebsd")) {
      return FREEBSD;
    }
    if (n.startsWith("openbsd")) {
      return OPENBSD;
    }
    if (n.startsWith("netbsd")) {
      return NETBSD;
    }
    if (n.startsWith("windows")) {
      return WINDOWS;
    }
    return null;
  }

  /**
   * The system this JVM runs on.
   *
   * @return the system
   * @throws UnsupportedOperationException if poll4j does not know this system's ABI; the message
   *     names {@code os.name}
   */
  public static Os current() {
    if (CURRENT == null) {
      throw new UnsupportedOperationException(
          "poll4j knows the ABI of Linux, macOS, FreeBSD, OpenBSD, NetBSD and Windows; this OS is "
              + System.getProperty("os.name"));
    }
    return CURRENT;
  }

  /**
   * Refuses a POSIX-only facility on Windows with a message that says so, before it reaches a
   * native call that does not exist there.
   *
   * @param what the facility, such as {@code "RawFd"}
   * @throws UnsupportedOperationException on Windows, or on a system poll4j does not know
   */
  public static void requirePosix(String what) {
    if (!current().isPosix()) {
      throw new UnsupportedOperationException(
          what + " needs a POSIX system; on Windows, poll4j offers the sockets of dev.poll4j.net"
              + " and Pipe (a loopback socket pair) only");
    }
  }

  /**
   * Whether this is macOS or one of the BSDs: the systems whose socket addresses start with a
   * length byte and whose event queue is kqueue.
   *
   * @return true on macOS, FreeBSD, OpenBSD and NetBSD
   */
  public boolean isBsd() {
    return this != LINUX && this != WINDOWS;
  }

  /**
   * Whether this is a POSIX system (file descriptors, pipes, poll(2), fcntl).
   *
   * @return true except on Windows
   */
  public boolean isPosix() {
    return this != WINDOWS;
  }

  /**
   * The name to show in messages.
   *
   * @return such as {@code macOS}
   */
  public String displayName() {
    return displayName;
  }
}
