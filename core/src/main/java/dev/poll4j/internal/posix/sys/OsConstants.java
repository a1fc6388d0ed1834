package dev.poll4j.internal.posix.sys;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A table of C constants with one column per {@link Os}: the values of one header family on
 * Linux, macOS, FreeBSD, OpenBSD, NetBSD and Windows. The constant classes of this package read
 * their {@code static final} fields from their table once, for {@link Os#current()}; tests read
 * every column.
 *
 * <p>Where a system lacks a constant the table holds {@link #NONE}. Sources: the Linux column is
 * the glibc and kernel headers (checked on the build host by a compiled probe); the other columns
 * are the {@code rust-lang/libc} crate's bindings ({@code src/unix/bsd/apple},
 * {@code freebsdlike/freebsd}, {@code netbsdlike/openbsd}, {@code netbsdlike/netbsd}, at commit
 * 2eda1e5); the Windows column is the Windows SDK headers as transcribed by the {@code
 * retep998/winapi-rs} crate at commit 5b18299 ({@code src/shared/ws2def.rs}, {@code ws2ipdef.rs},
 * {@code winerror.rs}, {@code src/um/winsock2.rs}), {@link #NONE} for POSIX-only constants.
 */
public final class OsConstants {
  /** The value of a constant that a system does not define. */
  public static final int NONE = Integer.MIN_VALUE;

  private static final int COLUMNS = Os.values().length;

  private final String header;
  // name -> one value per Os, in Os.ordinal() order.
  private final Map<String, int[]> rows = new LinkedHashMap<>();

  /**
   * Builds a table from rows of a name followed by one value per {@link Os}, in declaration
   * order: Linux, macOS, FreeBSD, OpenBSD, NetBSD, Windows.
   *
   * @param header the header the constants come from, for messages, such as {@code sys/socket.h}
   * @param rows {@code "NAME", linux, macos, freebsd, openbsd, netbsd, windows, "NAME", ...}
   * @throws IllegalArgumentException if a row is malformed or a name repeats
   */
  public OsConstants(String header, Object... rows) {
    this.header = header;
    int width = 1 + COLUMNS;
    if (rows.length % width != 0) {
      throw new IllegalArgumentException(
          header + ": rows.length % " + width + " != 0: " + rows.length);
    }
    for (int i = 0; i < rows.length; i += width) {
      String name = (String) rows[i];
      int[] values = new int[COLUMNS];
      for (int c = 0; c < COLUMNS; c++) {
        values[c] = (Integer) rows[i + 1 + c];
      }
      if (this.rows.put(name, values) != null) {
        throw new IllegalArgumentException(header + ": " + name + " appears twice");
      }
    }
  }

  /**
   * A constant's value on a system.
   *
   * @param name the C name
   * @param os the system
   * @return the value, or {@link #NONE} where the system lacks it
   * @throws IllegalArgumentException if the table has no such name
   */
  public int value(String name, Os os) {
    int[] values = rows.get(name);
    if (values == null) {
      throw new IllegalArgumentException(header + " has no " + name);
    }
    return values[os.ordinal()];
  }

  /**
   * A constant's value on this system.
   *
   * @param name the C name
   * @return the value, or {@link #NONE} where this system lacks it
   * @throws UnsupportedOperationException if poll4j does not know this system
   */
  public int value(String name) {
    return value(name, Os.current());
  }

  /**
   * A constant that this system must have.
   *
   * @param name the C name
   * @return the value
   * @throws UnsupportedOperationException if this system lacks it, or poll4j does not know it
   */
  public int required(String name) {
    Os os = Os.current();
    int v = value(name, os);
    if (v == NONE) {
      throw new UnsupportedOperationException(
          header + ": " + name + " does not exist on " + os.displayName());
    }
    return v;
  }

  /**
   * Every row, for tests.
   *
   * @return name to values in {@link Os} order, unmodifiable
   */
  public Map<String, int[]> rows() {
    return Collections.unmodifiableMap(rows);
  }

  /**
   * The header these constants come from.
   *
   * @return such as {@code sys/socket.h}
   */
  public String header() {
    return header;
  }
}
