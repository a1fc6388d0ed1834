package dev.poll4j.internal.posix.sys;

/** netinet/tcp.h: TCP-level option names (level {@link In#IPPROTO_TCP}). Linux values. */
public final class Tcp {
  /** {@code TCP_NODELAY}: disables Nagle's algorithm. */
  public static final int TCP_NODELAY = 1;

  private Tcp() {}
}
