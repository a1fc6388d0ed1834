package dev.poll4j.internal.posix.sys;

/**
 * netinet/in.h: protocol numbers and the IPv4 and IPv6 option names. Constants only; the
 * structures ({@code sockaddr_in}, {@code ip_mreq}, ...) are laid out by {@code
 * dev.poll4j.internal.posix.Sockaddr}. Linux values.
 */
public final class In {
  /** {@code IPPROTO_IP}: the IPv4 option level. */
  public static final int IPPROTO_IP = 0;
  /** {@code IPPROTO_TCP}: the TCP option level. */
  public static final int IPPROTO_TCP = 6;
  /** {@code IPPROTO_IPV6}: the IPv6 option level. */
  public static final int IPPROTO_IPV6 = 41;

  /** {@code IP_TOS}. */
  public static final int IP_TOS = 1;
  /** {@code IP_TTL}. */
  public static final int IP_TTL = 2;
  /** {@code IP_MULTICAST_IF}: takes a {@code struct in_addr} (the interface's address). */
  public static final int IP_MULTICAST_IF = 32;
  /** {@code IP_MULTICAST_TTL}. */
  public static final int IP_MULTICAST_TTL = 33;
  /** {@code IP_MULTICAST_LOOP}. */
  public static final int IP_MULTICAST_LOOP = 34;
  /** {@code IP_ADD_MEMBERSHIP}: takes a {@code struct ip_mreq}. */
  public static final int IP_ADD_MEMBERSHIP = 35;
  /** {@code IP_DROP_MEMBERSHIP}: takes a {@code struct ip_mreq}. */
  public static final int IP_DROP_MEMBERSHIP = 36;

  /** {@code IPV6_UNICAST_HOPS}. */
  public static final int IPV6_UNICAST_HOPS = 16;
  /** {@code IPV6_MULTICAST_IF}: takes an interface index. */
  public static final int IPV6_MULTICAST_IF = 17;
  /** {@code IPV6_MULTICAST_HOPS}. */
  public static final int IPV6_MULTICAST_HOPS = 18;
  /** {@code IPV6_MULTICAST_LOOP}. */
  public static final int IPV6_MULTICAST_LOOP = 19;
  /** {@code IPV6_ADD_MEMBERSHIP} (alias {@code IPV6_JOIN_GROUP}): takes a {@code ipv6_mreq}. */
  public static final int IPV6_ADD_MEMBERSHIP = 20;
  /** {@code IPV6_DROP_MEMBERSHIP} (alias {@code IPV6_LEAVE_GROUP}). */
  public static final int IPV6_DROP_MEMBERSHIP = 21;
  /** {@code IPV6_V6ONLY}: 0 makes an IPv6 socket dual-stack (IPv4-mapped addresses). */
  public static final int IPV6_V6ONLY = 26;
  /** {@code IPV6_TCLASS}: the traffic class, IPv6's {@code IP_TOS}. */
  public static final int IPV6_TCLASS = 67;

  private In() {}
}
