package dev.poll4j.internal.posix.sys;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * sys/stat.h: the file type of a descriptor, from {@code fstat}.
 *
 * <p>Only {@code st_mode} is read, at its offset in {@code struct stat} for this system; the
 * buffer is oversized (256 bytes; the largest {@code struct stat} here is FreeBSD's 224). The
 * symbol and the offsets (from the C headers, as the {@code rust-lang/libc} crate transcribes
 * them):
 *
 * <pre>
 * system          symbol            st_mode offset, width
 * Linux x86-64    fstat             24, u32   (st_dev, st_ino, st_nlink: 8 bytes each)
 * Linux generic   fstat             16, u32   (aarch64: st_dev, st_ino, then st_mode)
 * macOS           fstat$INODE64     4, u16    (x86-64; arm64 has only the 64-bit-inode fstat)
 * FreeBSD 12+     fstat             24, u16   (st_dev, st_ino, st_nlink: 8 bytes each)
 * OpenBSD         fstat             0, u32
 * NetBSD          __fstat50         8, u32    (st_dev is 8 bytes)
 * </pre>
 *
 * Every width holds {@code S_IFMT} in its low 16 bits, and every supported machine is
 * little-endian, so a 16-bit read at the offset is right on all of them. Not a hot path.
 */
public final class Stat {
  /** {@code S_IFMT}: the file-type mask of {@code st_mode}. */
  public static final int S_IFMT = 0170000;
  /** {@code S_IFREG}: regular file. */
  public static final int S_IFREG = 0100000;
  /** {@code S_IFDIR}: directory. */
  public static final int S_IFDIR = 0040000;

  private static final Layout LAYOUT = Layout.of(Os.current(), Platform.isIntel());
  private static final Function FSTAT =
      NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction(LAYOUT.symbol);

  /** Where one system keeps {@code st_mode}, and the name of its {@code fstat}. */
  static final class Layout {
    final String symbol;
    final int modeOffset;

    private Layout(String symbol, int modeOffset) {
      this.symbol = symbol;
      this.modeOffset = modeOffset;
    }

    /**
     * The layout for a system: a pure function, so every row is testable on any host.
     *
     * @param os the system
     * @param intel64 whether the machine is x86-64 (else aarch64 or another generic ABI)
     * @return the layout
     */
    static Layout of(Os os, boolean intel64) {
      switch (os) {
        case LINUX:
          return new Layout("fstat", intel64 ? 24 : 16);
        case MACOS:
          return new Layout(intel64 ? "fstat$INODE64" : "fstat", 4);
        case FREEBSD:
          return new Layout("fstat", 24);
        case OPENBSD:
          return new Layout("fstat", 0);
        case NETBSD:
          return new Layout("__fstat50", 8);
        default:
          throw new UnsupportedOperationException(
              "fstat is POSIX-only; this is " + os.displayName());
      }
    }
  }

  private Stat() {}

  /**
   * The file type bits ({@code st_mode & S_IFMT}) of an open descriptor.
   *
   * @param fd the descriptor
   * @return the type bits, or -1 with errno set when {@code fstat} fails
   */
  public static int fileType(int fd) {
    try (Memory buf = new Memory(256)) {
      buf.clear();
      if (FSTAT.invokeInt(new Object[] {fd, buf}) != 0) {
        return -1;
      }
      return (buf.getShort(LAYOUT.modeOffset) & 0xFFFF) & S_IFMT;
    }
  }
}
