package dev.poll4j.internal.posix.sys;

/** netinet/tcp.h: TCP-level option names (level {@link In#IPPROTO_TCP}). */
public final class Tcp {
  /**
   * The constants of {@code netinet/tcp.h}: name, Linux, macOS, FreeBSD, OpenBSD, NetBSD, Windows.
   */
  public static final OsConstants TABLE =
      new OsConstants(
          "netinet/tcp.h",
          "TCP_NODELAY", 1, 1, 1, 1, 1, 1);

  /** {@code TCP_NODELAY}: disables Nagle's algorithm. */
  public static final int TCP_NODELAY = TABLE.value("TCP_NODELAY");

  private Tcp() {}
}
