package dev.poll4j.internal.posix.sys;

/**
 * netinet/in.h: protocol numbers and the IPv4 and IPv6 option names. Constants only; the
 * structures ({@code sockaddr_in}, {@code ip_mreq}, ...) are laid out by {@code
 * dev.poll4j.internal.posix.Sockaddr}.
 */
public final class In {
  /** The constants of {@code netinet/in.h}: name, Linux, macOS, FreeBSD, OpenBSD, NetBSD, Windows
   * ({@code ws2def.h}, {@code ws2ipdef.h}). */
  public static final OsConstants TABLE =
      new OsConstants(
          "netinet/in.h",
          "IPPROTO_IP", 0, 0, 0, 0, 0, 0,
          "IPPROTO_TCP", 6, 6, 6, 6, 6, 6,
          "IPPROTO_IPV6", 41, 41, 41, 41, 41, 41,
          "IP_TOS", 1, 3, 3, 3, 3, 3,
          "IP_TTL", 2, 4, 4, 4, 4, 4,
          "IP_MULTICAST_IF", 32, 9, 9, 9, 9, 9,
          "IP_MULTICAST_TTL", 33, 10, 10, 10, 10, 10,
          "IP_MULTICAST_LOOP", 34, 11, 11, 11, 11, 11,
          "IP_ADD_MEMBERSHIP", 35, 12, 12, 12, 12, 12,
          "IP_DROP_MEMBERSHIP", 36, 13, 13, 13, 13, 13,
          "IPV6_UNICAST_HOPS", 16, 4, 4, 4, 4, 4,
          "IPV6_MULTICAST_IF", 17, 9, 9, 9, 9, 9,
          "IPV6_MULTICAST_HOPS", 18, 10, 10, 10, 10, 10,
          "IPV6_MULTICAST_LOOP", 19, 11, 11, 11, 11, 11,
          "IPV6_ADD_MEMBERSHIP", 20, 12, 12, 12, 12, 12,
          "IPV6_DROP_MEMBERSHIP", 21, 13, 13, 13, 13, 13,
          "IPV6_V6ONLY", 26, 27, 27, 27, 27, 27,
          "IPV6_TCLASS", 67, 36, 61, 61, 61, 39);

  /** {@code IPPROTO_IP}: the IPv4 option level. */
  public static final int IPPROTO_IP = TABLE.value("IPPROTO_IP");
  /** {@code IPPROTO_TCP}: the TCP option level. */
  public static final int IPPROTO_TCP = TABLE.value("IPPROTO_TCP");
  /** {@code IPPROTO_IPV6}: the IPv6 option level. */
  public static final int IPPROTO_IPV6 = TABLE.value("IPPROTO_IPV6");

  /** {@code IP_TOS}. */
  public static final int IP_TOS = TABLE.value("IP_TOS");
  /** {@code IP_TTL}. */
  public static final int IP_TTL = TABLE.value("IP_TTL");
  /** {@code IP_MULTICAST_IF}: takes a {@code struct in_addr} (the interface's address). */
  public static final int IP_MULTICAST_IF = TABLE.value("IP_MULTICAST_IF");
  /** {@code IP_MULTICAST_TTL}. */
  public static final int IP_MULTICAST_TTL = TABLE.value("IP_MULTICAST_TTL");
  /** {@code IP_MULTICAST_LOOP}. */
  public static final int IP_MULTICAST_LOOP = TABLE.value("IP_MULTICAST_LOOP");
  /** {@code IP_ADD_MEMBERSHIP}: takes a {@code struct ip_mreq}. */
  public static final int IP_ADD_MEMBERSHIP = TABLE.value("IP_ADD_MEMBERSHIP");
  /** {@code IP_DROP_MEMBERSHIP}: takes a {@code struct ip_mreq}. */
  public static final int IP_DROP_MEMBERSHIP = TABLE.value("IP_DROP_MEMBERSHIP");

  /** {@code IPV6_UNICAST_HOPS}. */
  public static final int IPV6_UNICAST_HOPS = TABLE.value("IPV6_UNICAST_HOPS");
  /** {@code IPV6_MULTICAST_IF}: takes an interface index. */
  public static final int IPV6_MULTICAST_IF = TABLE.value("IPV6_MULTICAST_IF");
  /** {@code IPV6_MULTICAST_HOPS}. */
  public static final int IPV6_MULTICAST_HOPS = TABLE.value("IPV6_MULTICAST_HOPS");
  /** {@code IPV6_MULTICAST_LOOP}. */
  public static final int IPV6_MULTICAST_LOOP = TABLE.value("IPV6_MULTICAST_LOOP");
  /** {@code IPV6_ADD_MEMBERSHIP} (alias {@code IPV6_JOIN_GROUP}): takes a {@code ipv6_mreq}. */
  public static final int IPV6_ADD_MEMBERSHIP = TABLE.value("IPV6_ADD_MEMBERSHIP");
  /** {@code IPV6_DROP_MEMBERSHIP} (alias {@code IPV6_LEAVE_GROUP}). */
  public static final int IPV6_DROP_MEMBERSHIP = TABLE.value("IPV6_DROP_MEMBERSHIP");
  /** {@code IPV6_V6ONLY}: 0 makes an IPv6 socket dual-stack (IPv4-mapped addresses). */
  public static final int IPV6_V6ONLY = TABLE.value("IPV6_V6ONLY");
  /** {@code IPV6_TCLASS}: the traffic class, IPv6's {@code IP_TOS}. */
  public static final int IPV6_TCLASS = TABLE.value("IPV6_TCLASS");

  private In() {}

  /**
   * Whether an option takes a {@code u_char} rather than an {@code int}: {@code
   * IP_MULTICAST_TTL} and {@code IP_MULTICAST_LOOP} on macOS and the BSDs (OpenBSD refuses any
   * other size; Linux takes both).
   *
   * @param level the option level
   * @param name the option name
   * @return true if {@code setsockopt} must be given one byte
   */
  public static boolean isByteOption(int level, int name) {
    return Os.current().isBsd()
        && level == IPPROTO_IP
        && (name == IP_MULTICAST_TTL || name == IP_MULTICAST_LOOP);
  }
}
