package dev.poll4j.internal.posix.sys;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * sys/stat.h: the file type of a descriptor, from {@code fstat}.
 *
 * <p>Only {@code st_mode} is read, at its offset in {@code struct stat}: 24 on Linux x86-64
 * ({@code st_dev}, {@code st_ino}, {@code st_nlink} come first, 8 bytes each), 16 on the generic
 * Linux layout used by aarch64 ({@code st_nlink} is 32-bit and follows {@code st_mode}). The
 * buffer is oversized (256 bytes, {@code sizeof(struct stat)} is 144 and 128). {@code fstat} is
 * a real symbol from glibc 2.33 on.
 */
public final class Stat {
  /** {@code S_IFMT}: the file-type mask of {@code st_mode}. */
  public static final int S_IFMT = 0170000;
  /** {@code S_IFREG}: regular file. */
  public static final int S_IFREG = 0100000;
  /** {@code S_IFDIR}: directory. */
  public static final int S_IFDIR = 0040000;

  private static final int ST_MODE_OFFSET = Platform.isIntel() && Platform.is64Bit() ? 24 : 16;

  static {
    if (!Platform.isLinux()) {
      throw new ExceptionInInitializerError("struct stat layout known for Linux only");
    }
    Native.register(Stat.class, Platform.C_LIBRARY_NAME);
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
      if (fstat(fd, Pointer.nativeValue(buf)) != 0) {
        return -1;
      }
      return buf.getInt(ST_MODE_OFFSET) & S_IFMT;
    }
  }

  // -- Native methods --

  private static native int fstat(int fd, long statbuf);
}
