package dev.poll4j.internal.posix;

import dev.poll4j.internal.posix.sys.Errno;

/**
 * The spare descriptor that keeps accept loops alive at the open-files limit (libuv's idea).
 *
 * <p>When {@code accept4} fails with {@code EMFILE} (the process is at {@code RLIMIT_NOFILE})
 * or {@code ENFILE} (the system is at {@code fs.file-max}), the connection stays queued and the
 * listener stays readable: a level-triggered loop spins on it at 100% CPU, and an
 * edge-triggered one never hears of the listener again, since nothing new happens to it. {@link
 * #shed} gives the spare back to the kernel, accepts and closes every queued connection until
 * would-block (the one freed slot suffices: each connection is closed before the next is
 * accepted), then takes the spare again. The clients see their connection closed, the backlog
 * is empty, and the listener is idle until the next connection arrives.
 *
 * <p>One spare per process, opened when the first socket starts to listen ({@link #ensure}).
 * It is an unbound, close-on-exec {@code AF_UNIX} datagram socket: any descriptor holds a slot,
 * and this one needs no file-system path, so it also works in a chroot or a container without
 * {@code /dev/null}. Shedding holds a lock, so listeners at the limit take turns with it. When
 * the spare cannot be taken back at once (another thread took the freed slot), it is taken the
 * next time a listener is made, a connection is accepted, or the limit is hit again.
 *
 * <p>Not on Windows ({@link #SUPPORTED} is false): it has no {@code AF_UNIX} datagram socket to
 * hold the slot, and no per-process descriptor limit of the same kind ({@code WSAEMFILE} is
 * reported as the error it is).
 */
public final class AcceptReserve {
  /** The native calls: those of the OS. */
  private static final SocketCalls CALLS = SocketCalls.CURRENT;
  /** Whether this OS keeps a spare (its spare is an {@code AF_UNIX} datagram socket). */
  public static final boolean SUPPORTED = CALLS.hasUnixDatagrams();

  /** Guards {@link #spare}, and makes listeners that shed take turns. */
  private static final Object LOCK = new Object();
  /** The spare descriptor, or -1 while it is given back or could not be opened. */
  private static volatile long spare = -1;

  private AcceptReserve() {}

  /**
   * How a {@link #shed} ended.
   *
   * @param closed how many queued connections were accepted and closed
   * @param errno why it stopped: {@code EAGAIN} when the queue is empty (the caller calls its
   *     would-block hook); {@code EMFILE} or {@code ENFILE} when the freed slot was taken by
   *     someone else, or there was no spare to give back; another errno when {@code accept4}
   *     failed otherwise
   */
  public record Shed(int closed, int errno) {
    /**
     * Whether the queue was emptied, down to would-block.
     *
     * @return true when {@link #errno()} is {@code EAGAIN}
     */
    public boolean drained() {
      return errno == Errno.EAGAIN;
    }
  }

  /**
   * Opens the spare if it is not open. Best effort: at the open-files limit it stays missing,
   * and is tried again later.
   */
  public static void ensure() {
    if (SUPPORTED && spare < 0) {
      synchronized (LOCK) {
        if (spare < 0) {
          spare = openSpare();
        }
      }
    }
  }

  /**
   * The spare descriptor, for tests that count descriptors.
   *
   * @return the descriptor, or -1 while there is none
   */
  public static int descriptor() {
    return (int) spare;
  }

  /**
   * Empties a listener's accept queue after {@code accept4} failed with {@code EMFILE} or
   * {@code ENFILE}: gives the spare back, accepts and closes connections until would-block, and
   * takes the spare again.
   *
   * @param listenerFd the listening socket
   * @param limitErrno the {@code EMFILE} or {@code ENFILE} that {@code accept4} failed with
   * @return how many connections were closed, and why shedding stopped
   */
  public static Shed shed(long listenerFd, int limitErrno) {
    synchronized (LOCK) {
      long fd = spare;
      if (fd < 0) {
        spare = openSpare(); // descriptors may have been freed since
        return new Shed(0, limitErrno);
      }
      spare = -1;
      CALLS.close(fd);
      int closed = 0;
      int errno;
      for (; ; ) {
        long c = CALLS.accept(listenerFd);
        if (c >= 0) {
          CALLS.close(c);
          closed++;
          continue;
        }
        errno = CALLS.lastError();
        if (errno != Errno.EINTR && errno != Errno.ECONNABORTED) {
          break;
        }
      }
      spare = openSpare();
      return new Shed(closed, errno);
    }
  }

  // Returns the new descriptor, or -1.
  private static long openSpare() {
    return CALLS.reserveSocket();
  }
}
