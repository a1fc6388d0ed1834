package dev.poll4j.it;

import dev.poll4j.it.sys.Libc;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Puts this process at its open-files limit ({@code EMFILE}) until {@link #close()}: the soft
 * {@code RLIMIT_NOFILE} is lowered to a little above the highest descriptor in use, and duplicates
 * fill what is left. While exhausted, nothing in the process can open a descriptor, the JVM
 * included (a class is then not loaded from a directory): load what the stretch needs first, and
 * close this in a {@code finally} (try-with-resources).
 */
final class FileLimit implements AutoCloseable {
  /** Descriptor numbers above the highest in use that the lowered limit leaves to fill. */
  private static final int HEADROOM = 16;

  private final long[] saved;
  private final int[] fillers;
  private int count;

  private FileLimit(long[] saved, int capacity) {
    this.saved = saved;
    this.fillers = new int[capacity];
  }

  /**
   * Whether this can work here: Linux on a 64-bit platform whose {@code struct rlimit} is two
   * 64-bit words (x86-64, aarch64), with {@code /proc} to find the highest descriptor.
   *
   * @return true if {@link #exhaust()} can be used
   */
  static boolean supported() {
    String arch = System.getProperty("os.arch", "");
    return System.getProperty("os.name", "").startsWith("Linux")
        && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))
        && ProcFs.available();
  }

  /**
   * Exhausts the open-files limit.
   *
   * @return the exhausted limit; close it to give the descriptors and the limit back
   * @throws IOException if the limit cannot be read or set, or filling fails otherwise
   */
  static FileLimit exhaust() throws IOException {
    long[] saved = new long[2];
    if (Libc.getrlimit(Libc.RLIMIT_NOFILE, saved) != 0) {
      throw new IOException("getrlimit(RLIMIT_NOFILE) failed: errno " + Libc.errno());
    }
    long soft = ProcFs.openFds().lastKey() + 1L + HEADROOM;
    if (Long.compareUnsigned(soft, saved[0]) > 0) {
      throw new IOException("the open-files limit " + saved[0] + " is already below " + soft);
    }
    FileLimit limit = new FileLimit(saved, (int) soft);
    if (Libc.setrlimit(Libc.RLIMIT_NOFILE, new long[] {soft, saved[1]}) != 0) {
      throw new IOException("setrlimit(RLIMIT_NOFILE, " + soft + ") failed: " + Libc.errno());
    }
    try {
      limit.fill();
    } catch (IOException | RuntimeException | Error e) {
      limit.close();
      throw e;
    }
    return limit;
  }

  private void fill() throws IOException {
    while (count < fillers.length) {
      int fd = Libc.dup(2); // any descriptor takes a slot
      if (fd < 0) {
        int errno = Libc.errno();
        if (errno == Libc.EMFILE) {
          return;
        }
        throw new IOException("dup failed while filling: errno " + errno);
      }
      fillers[count++] = fd;
    }
    throw new IOException("no EMFILE after " + count + " descriptors");
  }

  /**
   * How many filler descriptors it took to reach the limit.
   *
   * @return the count
   */
  int fillers() {
    return count;
  }

  /** Closes the fillers and restores the limit. */
  @Override
  public void close() {
    while (count > 0) {
      Libc.close(fillers[--count]);
    }
    if (Libc.setrlimit(Libc.RLIMIT_NOFILE, saved) != 0) {
      throw new UncheckedIOException(
          new IOException("setrlimit(RLIMIT_NOFILE) restore failed: errno " + Libc.errno()));
    }
  }
}
