package dev.poll4j.kqueue.sys;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The shape of {@code struct kevent} and the per-OS constants that go with it, as data: offsets,
 * field widths, the C symbol to bind, the width of {@code kevent()}'s counts, and the filter
 * numbers. One instance per ABI variant of {@code reference/abi.md} B.1 and B.2 (LP64 only);
 * {@link #forPlatform(String, String, String)} picks one from the OS name, OS version and
 * architecture and is a pure function, so every variant is tested on any host.
 *
 * <pre>
 * macOS (xnu bsd/sys/event.h, #pragma pack(4)), FreeBSD 11 ABI, OpenBSD — 32 bytes:
 *   uintptr_t ident @0; int16_t filter @8; uint16_t flags @10; uint32_t fflags @12;
 *   intptr_t/int64_t data @16; void *udata @24
 * FreeBSD 12+ — 64 bytes: as above, then uint64_t ext[4] @32
 * NetBSD 10 and older (__kevent50) — 40 bytes:
 *   uintptr_t ident @0; uint32_t filter @8; uint32_t flags @12; uint32_t fflags @16;
 *   int64_t data @24; void *udata @32
 * NetBSD 11 (__kevent100) — 72 bytes: as NetBSD 10, then uint64_t ext[4] @40
 * </pre>
 *
 * <p>The accessors read and write entry {@code i} of a kevent array at fixed offsets, in native
 * byte order, without allocating.
 */
public final class KeventLayout {
  /** The operating systems with a kqueue. */
  public enum Os {
    /** macOS (Darwin). */
    MACOS,
    /** FreeBSD. */
    FREEBSD,
    /** OpenBSD. */
    OPENBSD,
    /** NetBSD. */
    NETBSD
  }

  /** macOS {@code kevent}: 32 bytes, filters -1/-2, {@code EVFILT_USER} -10. */
  public static final KeventLayout MACOS =
      new KeventLayout("macOS", Os.MACOS, 32, 8, 2, 10, 2, 12, 16, 24, 0, "kevent", false,
          -1, -2, -10, 0xF000, true);
  /** FreeBSD 11 ABI ({@code kevent@FBSD_1.0}): 32 bytes; data only; not bound by poll4j. */
  public static final KeventLayout FREEBSD_11 =
      new KeventLayout("FreeBSD 11", Os.FREEBSD, 32, 8, 2, 10, 2, 12, 16, 24, 0,
          "kevent@FBSD_1.0", false, -1, -2, -11, 0xF000, true);
  /** FreeBSD 12 and later, default {@code kevent}: 64 bytes with {@code ext[4]} at 32. */
  public static final KeventLayout FREEBSD =
      new KeventLayout("FreeBSD 12+", Os.FREEBSD, 64, 8, 2, 10, 2, 12, 16, 24, 32, "kevent", false,
          -1, -2, -11, 0xF000, true);
  /** OpenBSD: 32 bytes; {@code EVFILT_USER} (-10) from 7.8 only. */
  public static final KeventLayout OPENBSD =
      new KeventLayout("OpenBSD", Os.OPENBSD, 32, 8, 2, 10, 2, 12, 16, 24, 0, "kevent", false,
          -1, -2, -10, 0xF800, false);
  /** NetBSD 10 and older ({@code __kevent50}): 40 bytes, 32-bit filter and flags, size_t counts. */
  public static final KeventLayout NETBSD_10 =
      new KeventLayout("NetBSD 10", Os.NETBSD, 40, 8, 4, 12, 4, 16, 24, 32, 0, "__kevent50", true,
          0, 1, 8, 0xF000, true);
  /** NetBSD 11 ({@code __kevent100}): 72 bytes, as NetBSD 10 plus {@code ext[4]} at 40. */
  public static final KeventLayout NETBSD_11 =
      new KeventLayout("NetBSD 11", Os.NETBSD, 72, 8, 4, 12, 4, 16, 24, 32, 40, "__kevent100",
          true, 0, 1, 8, 0xF000, true);

  /** Every variant, for tests and messages. */
  public static final KeventLayout[] ALL = {MACOS, FREEBSD_11, FREEBSD, OPENBSD, NETBSD_10,
      NETBSD_11};

  private final String variant;
  private final Os os;
  private final int size;
  private final int offsetFilter;
  private final int filterWidth;
  private final int offsetFlags;
  private final int flagsWidth;
  private final int offsetFflags;
  private final int offsetData;
  private final int offsetUdata;
  // Offset of uint64_t ext[4], or 0 where the struct has none.
  private final int offsetExt;
  private final String symbol;
  // NetBSD declares kevent()'s nchanges and nevents as size_t, everyone else as int.
  private final boolean sizeTCounts;
  private final int evfiltRead;
  private final int evfiltWrite;
  private final int evfiltUser;
  private final int evSysflags;
  // Whether this OS (at this version) has EVFILT_USER; OpenBSD before 7.8 and NetBSD 9 lack it.
  private final boolean hasUserFilter;

  private KeventLayout(
      String variant, Os os, int size, int offsetFilter, int filterWidth, int offsetFlags,
      int flagsWidth, int offsetFflags, int offsetData, int offsetUdata, int offsetExt,
      String symbol, boolean sizeTCounts, int evfiltRead, int evfiltWrite, int evfiltUser,
      int evSysflags, boolean hasUserFilter) {
    this.variant = variant;
    this.os = os;
    this.size = size;
    this.offsetFilter = offsetFilter;
    this.filterWidth = filterWidth;
    this.offsetFlags = offsetFlags;
    this.flagsWidth = flagsWidth;
    this.offsetFflags = offsetFflags;
    this.offsetData = offsetData;
    this.offsetUdata = offsetUdata;
    this.offsetExt = offsetExt;
    this.symbol = symbol;
    this.sizeTCounts = sizeTCounts;
    this.evfiltRead = evfiltRead;
    this.evfiltWrite = evfiltWrite;
    this.evfiltUser = evfiltUser;
    this.evSysflags = evSysflags;
    this.hasUserFilter = hasUserFilter;
  }

  private KeventLayout withUserFilter(boolean has) {
    return has == hasUserFilter
        ? this
        : new KeventLayout(variant + (has ? " with EVFILT_USER" : " without EVFILT_USER"), os,
            size, offsetFilter, filterWidth, offsetFlags, flagsWidth, offsetFflags, offsetData,
            offsetUdata, offsetExt, symbol, sizeTCounts, evfiltRead, evfiltWrite, evfiltUser,
            evSysflags, has);
  }

  /**
   * The layout for a platform: a pure function of what the JVM reports as {@code os.name}, {@code
   * os.version} and {@code os.arch}.
   *
   * @param osName such as {@code Mac OS X}, {@code FreeBSD}, {@code OpenBSD}, {@code NetBSD}
   * @param osVersion such as {@code 14.5}, {@code 10.0}, {@code 7.8}
   * @param arch such as {@code aarch64}, {@code amd64}, {@code x86_64}
   * @return the layout and constants of that platform's {@code kevent}
   * @throws UnsupportedOperationException if the OS has no kqueue, the architecture is not 64-bit,
   *     or the OS version has an ABI poll4j does not bind (FreeBSD 11 and older)
   */
  public static KeventLayout forPlatform(String osName, String osVersion, String arch) {
    String a = arch.toLowerCase(Locale.ROOT);
    boolean lp64 = a.equals("amd64") || a.equals("x86_64") || a.equals("x86-64")
        || a.equals("aarch64") || a.equals("arm64");
    String n = osName.toLowerCase(Locale.ROOT);
    Os os = n.startsWith("mac") || n.startsWith("darwin") ? Os.MACOS
        : n.startsWith("freebsd") ? Os.FREEBSD
        : n.startsWith("openbsd") ? Os.OPENBSD
        : n.startsWith("netbsd") ? Os.NETBSD
        : null;
    if (os == null) {
      throw new UnsupportedOperationException(
          "kqueue is only available on macOS and the BSDs (this is " + osName + ")");
    }
    if (!lp64) {
      throw new UnsupportedOperationException(
          "poll4j's kqueue bindings know the LP64 layouts of x86-64 and aarch64 only; this is "
              + osName + " on " + arch);
    }
    int[] v = version(osVersion);
    switch (os) {
      case MACOS:
        return MACOS;
      case FREEBSD:
        if (v[0] < 12) {
          throw new UnsupportedOperationException(
              "FreeBSD " + osVersion + " has the 32-byte kevent@FBSD_1.0 ABI; poll4j binds the"
                  + " 64-byte kevent of FreeBSD 12 and later");
        }
        return FREEBSD;
      case OPENBSD:
        return OPENBSD.withUserFilter(v[0] > 7 || (v[0] == 7 && v[1] >= 8));
      default:
        return (v[0] >= 11 ? NETBSD_11 : NETBSD_10).withUserFilter(v[0] >= 10);
    }
  }

  /**
   * The layout of the running platform.
   *
   * @return {@link #forPlatform} of this JVM's system properties
   * @throws UnsupportedOperationException as {@link #forPlatform} does
   */
  public static KeventLayout current() {
    return forPlatform(System.getProperty("os.name", "?"), System.getProperty("os.version", "0"),
        System.getProperty("os.arch", "?"));
  }

  // "14.5" -> {14, 5}; "10.0_RC1" -> {10, 0}; "13.2-RELEASE-p4" -> {13, 2}; junk -> {0, 0}.
  static int[] version(String s) {
    int[] v = new int[2];
    int part = 0;
    for (int i = 0; i < s.length() && part < 2; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        v[part] = Math.min(v[part] * 10 + (c - '0'), 100_000);
      } else if (c == '.') {
        part++;
      } else {
        break;
      }
    }
    return v;
  }

  /**
   * A name for messages, such as {@code FreeBSD 12+}.
   *
   * @return the variant's name
   */
  public String variant() {
    return variant;
  }

  /**
   * The operating system.
   *
   * @return the OS this layout belongs to
   */
  public Os os() {
    return os;
  }

  /**
   * {@code sizeof(struct kevent)}.
   *
   * @return 32, 40, 64 or 72
   */
  public int size() {
    return size;
  }

  /**
   * Offset of {@code ident} ({@code uintptr_t}).
   *
   * @return 0 in every variant
   */
  public int offsetIdent() {
    return 0;
  }

  /**
   * Offset of {@code filter}.
   *
   * @return 8 in every variant
   */
  public int offsetFilter() {
    return offsetFilter;
  }

  /**
   * Width of {@code filter} in bytes.
   *
   * @return 2 ({@code int16_t}), or 4 on NetBSD ({@code uint32_t})
   */
  public int filterWidth() {
    return filterWidth;
  }

  /**
   * Offset of {@code flags}.
   *
   * @return 10, or 12 on NetBSD
   */
  public int offsetFlags() {
    return offsetFlags;
  }

  /**
   * Width of {@code flags} in bytes.
   *
   * @return 2 ({@code uint16_t}), or 4 on NetBSD ({@code uint32_t})
   */
  public int flagsWidth() {
    return flagsWidth;
  }

  /**
   * Offset of {@code fflags} ({@code uint32_t}).
   *
   * @return 12, or 16 on NetBSD
   */
  public int offsetFflags() {
    return offsetFflags;
  }

  /**
   * Offset of {@code data} (64 bits wide in every LP64 variant).
   *
   * @return 16, or 24 on NetBSD
   */
  public int offsetData() {
    return offsetData;
  }

  /**
   * Offset of {@code udata} (a pointer, 64 bits wide).
   *
   * @return 24, or 32 on NetBSD
   */
  public int offsetUdata() {
    return offsetUdata;
  }

  /**
   * Offset of {@code uint64_t ext[4]}.
   *
   * @return 32 on FreeBSD 12+, 40 on NetBSD 11, 0 where the struct has no {@code ext}
   */
  public int offsetExt() {
    return offsetExt;
  }

  /**
   * The C symbol of {@code kevent()} with this layout.
   *
   * @return {@code kevent}, {@code __kevent50} or {@code __kevent100} ({@code kevent@FBSD_1.0}
   *     for the FreeBSD 11 ABI, which poll4j does not bind)
   */
  public String symbol() {
    return symbol;
  }

  /**
   * Whether {@code kevent()} takes its counts as {@code size_t} (NetBSD) rather than {@code int}.
   *
   * @return true on NetBSD
   */
  public boolean sizeTCounts() {
    return sizeTCounts;
  }

  /**
   * {@code EVFILT_READ}.
   *
   * @return -1, or 0 on NetBSD
   */
  public int evfiltRead() {
    return evfiltRead;
  }

  /**
   * {@code EVFILT_WRITE}.
   *
   * @return -2, or 1 on NetBSD
   */
  public int evfiltWrite() {
    return evfiltWrite;
  }

  /**
   * {@code EVFILT_USER} as the OS headers number it (whether or not this version has it).
   *
   * @return -10 on macOS and OpenBSD, -11 on FreeBSD, 8 on NetBSD
   */
  public int evfiltUser() {
    return evfiltUser;
  }

  /**
   * {@code EV_SYSFLAGS}: the flag bits reserved to the kernel.
   *
   * @return 0xF000, or 0xF800 on OpenBSD
   */
  public int evSysflags() {
    return evSysflags;
  }

  /**
   * Whether {@code EVFILT_USER} exists on this OS version (macOS, FreeBSD, NetBSD 10+, OpenBSD
   * 7.8+); without it the selector wakes through a pipe.
   *
   * @return true if {@code EVFILT_USER} can be registered
   */
  public boolean hasUserFilter() {
    return hasUserFilter;
  }

  // ---- access to entry i of a kevent array -----------------------------------------------------

  /**
   * Writes entry {@code i} completely ({@code ext} zeroed).
   *
   * @param b a native-order view of the array
   * @param i the entry's index
   * @param ident the identifier (a descriptor, or 0 for the user filter)
   * @param filter the filter
   * @param flags the {@code EV_*} flags
   * @param fflags the filter flags
   * @param data the filter data
   * @param udata the value handed back in events
   */
  public void put(ByteBuffer b, int i, long ident, int filter, int flags, int fflags, long data,
      long udata) {
    int base = i * size;
    b.putLong(base, ident);
    if (filterWidth == 2) {
      b.putShort(base + offsetFilter, (short) filter);
      b.putShort(base + offsetFlags, (short) flags);
    } else {
      b.putInt(base + offsetFilter, filter);
      b.putInt(base + offsetFlags, flags);
    }
    b.putInt(base + offsetFflags, fflags);
    if (offsetData - offsetFflags == 8) {
      b.putInt(base + offsetFflags + 4, 0); // NetBSD's padding before data
    }
    b.putLong(base + offsetData, data);
    b.putLong(base + offsetUdata, udata);
    if (offsetExt != 0) {
      for (int k = 0; k < 4; k++) {
        b.putLong(base + offsetExt + 8 * k, 0L);
      }
    }
  }

  /**
   * {@code ident} of entry {@code i}.
   *
   * @param b a native-order view of the array
   * @param i the entry's index
   * @return the identifier
   */
  public long ident(ByteBuffer b, int i) {
    return b.getLong(i * size);
  }

  /**
   * {@code filter} of entry {@code i}, sign-extended where it is a 16-bit field.
   *
   * @param b a native-order view of the array
   * @param i the entry's index
   * @return the filter
   */
  public int filter(ByteBuffer b, int i) {
    int off = i * size + offsetFilter;
    return filterWidth == 2 ? b.getShort(off) : b.getInt(off);
  }

  /**
   * {@code flags} of entry {@code i}, zero-extended.
   *
   * @param b a native-order view of the array
   * @param i the entry's index
   * @return the {@code EV_*} flags
   */
  public int flags(ByteBuffer b, int i) {
    int off = i * size + offsetFlags;
    return flagsWidth == 2 ? b.getShort(off) & 0xffff : b.getInt(off);
  }

  /**
   * {@code fflags} of entry {@code i}.
   *
   * @param b a native-order view of the array
   * @param i the entry's index
   * @return the filter flags
   */
  public int fflags(ByteBuffer b, int i) {
    return b.getInt(i * size + offsetFflags);
  }

  /**
   * {@code data} of entry {@code i}.
   *
   * @param b a native-order view of the array
   * @param i the entry's index
   * @return the filter data, or the errno of an {@code EV_ERROR} entry
   */
  public long data(ByteBuffer b, int i) {
    return b.getLong(i * size + offsetData);
  }

  /**
   * {@code udata} of entry {@code i}.
   *
   * @param b a native-order view of the array
   * @param i the entry's index
   * @return the value given when the filter was added
   */
  public long udata(ByteBuffer b, int i) {
    return b.getLong(i * size + offsetUdata);
  }

  @Override
  public String toString() {
    return "struct kevent (" + variant + ", " + size + " bytes, " + symbol + ")";
  }
}
