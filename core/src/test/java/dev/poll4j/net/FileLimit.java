package dev.poll4j.net;

import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.Socket;
import dev.poll4j.internal.posix.sys.Unistd;
import dev.poll4j.net.sys.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Puts this process at its open-files limit ({@code EMFILE}) and takes it back on {@link
 * #close()}.
 *
 * <p>The JVM raises the soft {@code RLIMIT_NOFILE} to the hard limit at startup (often a million
 * or more), far too many descriptors to fill. So this lowers the soft limit to a little above
 * the highest descriptor in use, then opens filler descriptors (unbound close-on-exec {@code
 * AF_UNIX} datagram sockets) until the kernel says {@code EMFILE}: at most {@link #HEADROOM}
 * plus the gaps below the highest descriptor. {@link #close()} closes the fillers and restores
 * the limit, and must run (use try-with-resources).
 *
 * <p>While exhausted, nothing in this process can open a descriptor, the JVM included: a class
 * loaded from a directory then fails to load. Load what the exhausted stretch needs first.
 */
final class FileLimit implements AutoCloseable {
  /** Descriptor numbers above the highest in use that the lowered limit leaves to fill. */
  static final int HEADROOM = 16;

  private final long[] saved;
  private final int[] fillers;
  private int count;

  private FileLimit(long[] saved, int capacity) {
    this.saved = saved;
    this.fillers = new int[capacity];
  }

  /**
   * Exhausts the open-files limit.
   *
   * @throws IOException if the limit cannot be read or set, or filling ends in another error
   */
  static FileLimit exhaust() throws IOException {
    long[] saved = new long[2];
    if (Resource.getrlimit(Resource.RLIMIT_NOFILE, saved) != 0) {
      throw new IOException("getrlimit(RLIMIT_NOFILE) failed: errno " + Errno.errno());
    }
    int highest = OpenFiles.snapshot().lastKey();
    long soft = highest + 1L + HEADROOM;
    if (Long.compareUnsigned(soft, saved[0]) > 0) {
      throw new IOException("the open-files limit " + saved[0] + " is already below " + soft);
    }
    FileLimit limit = new FileLimit(saved, (int) soft);
    if (Resource.setrlimit(Resource.RLIMIT_NOFILE, new long[] {soft, saved[1]}) != 0) {
      throw new IOException(
          "setrlimit(RLIMIT_NOFILE, " + soft + ") failed: errno " + Errno.errno());
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
      int fd = Socket.socket(Socket.AF_UNIX, Socket.SOCK_DGRAM | Socket.SOCK_CLOEXEC, 0);
      if (fd < 0) {
        int errno = Errno.errno();
        if (errno == Errno.EMFILE) {
          return;
        }
        throw new IOException("socket() failed while filling: " + Errno.name(errno));
      }
      fillers[count++] = fd;
    }
    throw new IOException("no EMFILE after " + count + " descriptors");
  }

  /** How many filler descriptors it took. */
  int fillers() {
    return count;
  }

  /** Closes the fillers and restores the limit. */
  @Override
  public void close() {
    while (count > 0) {
      Unistd.close(fillers[--count]);
    }
    if (Resource.setrlimit(Resource.RLIMIT_NOFILE, saved) != 0) {
      throw new UncheckedIOException(
          new IOException("setrlimit(RLIMIT_NOFILE) restore failed: errno " + Errno.errno()));
    }
  }
}
