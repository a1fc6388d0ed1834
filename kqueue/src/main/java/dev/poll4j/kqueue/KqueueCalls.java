package dev.poll4j.kqueue;

/**
 * The native calls {@link KqueueSelector} makes, behind one narrow interface: the real bindings
 * ({@link NativeKqueueCalls}) on macOS and the BSDs, a simulated kernel in the tests that run on
 * Linux. Arguments are primitives and native addresses; {@code kevent} arrays use the selector's
 * {@link dev.poll4j.kqueue.sys.KeventLayout}. Every call returns {@code -1} on failure, and
 * {@link #errno()} then gives the reason, if called before any other call on the same thread.
 */
interface KqueueCalls {
  /**
   * {@code kqueue()}, with close-on-exec set.
   *
   * @return a kqueue descriptor, or -1
   */
  int kqueue();

  /**
   * {@code kevent(kq, changes, nchanges, events, nevents, timeout)}.
   *
   * @param kq the kqueue descriptor
   * @param changes address of {@code nchanges} entries, or 0
   * @param nchanges the number of changes
   * @param events address of room for {@code nevents} entries, or 0
   * @param nevents the room in {@code events}
   * @param timeout address of a {@code struct timespec}, or 0 to wait without limit
   * @return the number of entries stored, or -1
   */
  int kevent(int kq, long changes, int nchanges, long events, int nevents, long timeout);

  /**
   * A pipe whose ends are non-blocking and close-on-exec (the waker of systems without {@code
   * EVFILT_USER}).
   *
   * @param fds receives the read end at 0 and the write end at 1
   * @return 0, or -1
   */
  int pipe(int[] fds);

  /**
   * {@code read(fd, buf, count)}.
   *
   * @param fd the descriptor
   * @param buf address of the destination
   * @param count bytes to read at most
   * @return bytes read, 0 at end of file, or -1
   */
  long read(int fd, long buf, long count);

  /**
   * {@code write(fd, buf, count)}.
   *
   * @param fd the descriptor
   * @param buf address of the source
   * @param count bytes to write
   * @return bytes written, or -1
   */
  long write(int fd, long buf, long count);

  /**
   * {@code close(fd)}.
   *
   * @param fd the descriptor
   * @return 0, or -1
   */
  int close(int fd);

  /**
   * The errno of the last failed call on this thread.
   *
   * @return the error number
   */
  int errno();
}
