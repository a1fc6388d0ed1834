package dev.poll4j.it;

import dev.poll4j.RawFd;
import dev.poll4j.it.sys.Libc;
import java.io.Closeable;
import java.io.IOException;

/**
 * A non-blocking Linux eventfd, registered through {@link RawFd}: readable while its counter is
 * non-zero and writable while the counter has room, so it is ready for both directions at once,
 * which no pipe end is.
 */
final class EventFd implements Closeable {
  private final int fd;
  private final RawFd source;
  private final long[] word = new long[1];
  private boolean closed;

  private EventFd(int fd) {
    this.fd = fd;
    this.source = RawFd.of(fd);
  }

  /**
   * Creates an eventfd.
   *
   * @param initial the initial counter: non-zero makes it readable at once
   * @return the eventfd
   * @throws IOException if {@code eventfd} fails
   */
  static EventFd open(int initial) throws IOException {
    int fd = Libc.eventfd(initial, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
    if (fd < 0) {
      throw new IOException("eventfd failed: errno " + Libc.errno());
    }
    return new EventFd(fd);
  }

  /**
   * The source to register.
   *
   * @return the same {@link RawFd} each time
   */
  RawFd source() {
    return source;
  }

  int fd() {
    return fd;
  }

  /**
   * Adds to the counter, making the descriptor readable.
   *
   * @param n the amount, at least 1
   * @throws IOException if the write fails
   */
  void add(long n) throws IOException {
    word[0] = n;
    if (Libc.write(fd, word, 8) != 8) {
      throw new IOException("write(eventfd) failed: errno " + Libc.errno());
    }
  }

  /**
   * Reads and resets the counter.
   *
   * @return the counter, or 0 if it was zero (the read would block: {@code EAGAIN})
   * @throws IOException if the read fails otherwise
   */
  long take() throws IOException {
    long n = Libc.read(fd, word, 8);
    if (n == 8) {
      return word[0];
    }
    int errno = Libc.errno();
    if (n < 0 && errno == Libc.EAGAIN) {
      return 0;
    }
    throw new IOException("read(eventfd) failed: errno " + errno + ", result " + n);
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      if (Libc.close(fd) != 0) {
        throw new IOException("close(eventfd) failed: errno " + Libc.errno());
      }
    }
  }

  @Override
  public String toString() {
    return "eventfd " + fd;
  }
}
