package dev.poll4j.it;

import dev.poll4j.RawFd;
import dev.poll4j.internal.posix.Descriptors;
import dev.poll4j.internal.posix.sys.Os;
import dev.poll4j.internal.posix.sys.Socket;
import dev.poll4j.it.sys.Eventfd;
import dev.poll4j.it.sys.Libc;
import java.io.Closeable;
import java.io.IOException;

/**
 * A descriptor that is ready for both directions at once, which no pipe end is, registered
 * through {@link RawFd}: on Linux a non-blocking eventfd (readable while its counter is non-zero,
 * writable while the counter has room); elsewhere one end of a Unix stream socket pair, readable
 * while the other end has sent words not yet taken, writable while its send buffer has room.
 */
final class EventFd implements Closeable {
  private static final boolean LINUX = Os.current() == Os.LINUX;

  private final int fd;
  // The other end of the socket pair, which add() writes to; -1 for an eventfd.
  private final int peer;
  private final RawFd source;
  private final long[] word = new long[1];
  private boolean closed;

  private EventFd(int fd, int peer) {
    this.fd = fd;
    this.peer = peer;
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
    if (LINUX) {
      int fd = Eventfd.eventfd(initial, Eventfd.EFD_NONBLOCK | Eventfd.EFD_CLOEXEC);
      if (fd < 0) {
        throw new IOException("eventfd failed: errno " + Libc.errno());
      }
      return new EventFd(fd, -1);
    }
    int[] sv = new int[2];
    if (Socket.socketpair(Socket.AF_UNIX, Socket.SOCK_STREAM, 0, sv) != 0) {
      throw new IOException("socketpair failed: errno " + Libc.errno());
    }
    Descriptors.adopt(sv[0], true, "socketpair");
    Descriptors.adopt(sv[1], true, "socketpair");
    EventFd e = new EventFd(sv[0], sv[1]);
    if (initial != 0) {
      e.add(initial);
    }
    return e;
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
    if (Libc.write(LINUX ? fd : peer, word, 8) != 8) {
      throw new IOException("write(" + this + ") failed: errno " + Libc.errno());
    }
  }

  /**
   * Reads and resets the counter.
   *
   * @return the counter, or 0 if it was zero (the read would block: {@code EAGAIN})
   * @throws IOException if the read fails otherwise
   */
  long take() throws IOException {
    long sum = 0;
    for (; ; ) {
      long n = Libc.read(fd, word, 8);
      if (n == 8) {
        sum += word[0];
        if (LINUX) {
          return sum; // an eventfd read takes the whole counter
        }
        continue; // the socket pair queues one word per add
      }
      int errno = Libc.errno();
      if (n < 0 && errno == Libc.EAGAIN) {
        return sum;
      }
      throw new IOException("read(" + this + ") failed: errno " + errno + ", result " + n);
    }
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      if (peer >= 0) {
        Libc.close(peer);
      }
      if (Libc.close(fd) != 0) {
        throw new IOException("close(" + this + ") failed: errno " + Libc.errno());
      }
    }
  }

  @Override
  public String toString() {
    return (LINUX ? "eventfd " : "socket pair end ") + fd;
  }
}
