package dev.poll4j.kqueue;

import dev.poll4j.NativeIOException;
import dev.poll4j.internal.posix.Descriptors;
import dev.poll4j.internal.posix.sys.Unistd;
import dev.poll4j.kqueue.sys.KeventLayout;
import dev.poll4j.kqueue.sys.KeventSizeT;
import dev.poll4j.kqueue.sys.Kqueue;
import java.io.IOException;

/**
 * {@link KqueueCalls} through the JNA bindings of {@code dev.poll4j.kqueue.sys}.
 *
 * <p>The errno of a failure is saved per thread at once, because the clean-up calls of {@link
 * #kqueue()} and {@link #pipe(int[])} ({@code fcntl}, {@code close}) would overwrite JNA's copy.
 * Both take their descriptor flags from core's {@code Descriptors} ({@code pipe2} where it exists,
 * else {@code pipe} and {@code fcntl}), as every other poll4j descriptor does.
 */
final class NativeKqueueCalls implements KqueueCalls {
  // One int[1] per thread, allocated on the thread's first failure only.
  private static final ThreadLocal<int[]> SAVED_ERRNO = ThreadLocal.withInitial(() -> new int[1]);

  // NetBSD's kevent takes size_t counts and has its own symbol (KeventSizeT).
  private final boolean sizeTCounts;

  NativeKqueueCalls(KeventLayout layout) {
    this.sizeTCounts = layout.sizeTCounts();
  }

  // Saves the errno of the native call that just failed; returns -1 for the caller to return.
  private static int failed() {
    SAVED_ERRNO.get()[0] = Kqueue.errno();
    return -1;
  }

  // Saves the errno of a failure that core's descriptor helpers already turned into an exception.
  private static void saveErrno(IOException e) {
    SAVED_ERRNO.get()[0] = e instanceof NativeIOException ? ((NativeIOException) e).errno() : 0;
  }

  @Override
  public int kqueue() {
    int kq = Kqueue.kqueue();
    if (kq < 0) {
      return failed();
    }
    try {
      Descriptors.adopt(kq, false, "kqueue");
    } catch (IOException e) {
      saveErrno(e);
      Unistd.close(kq);
      return -1;
    }
    return kq;
  }

  @Override
  public int kevent(int kq, long changes, int nchanges, long events, int nevents, long timeout) {
    int rc = sizeTCounts
        ? KeventSizeT.kevent(kq, changes, nchanges, events, nevents, timeout)
        : Kqueue.kevent(kq, changes, nchanges, events, nevents, timeout);
    return rc < 0 ? failed() : rc;
  }

  @Override
  public int pipe(int[] fds) {
    try {
      int[] p = Descriptors.nonBlockingPipe(); // closes both ends itself if it fails
      fds[0] = p[0];
      fds[1] = p[1];
      return 0;
    } catch (IOException e) {
      saveErrno(e);
      return -1;
    }
  }

  @Override
  public long read(int fd, long buf, long count) {
    long n = Unistd.read(fd, buf, count);
    return n < 0 ? failed() : n;
  }

  @Override
  public long write(int fd, long buf, long count) {
    long n = Unistd.write(fd, buf, count);
    return n < 0 ? failed() : n;
  }

  @Override
  public int close(int fd) {
    return Unistd.close(fd) < 0 ? failed() : 0;
  }

  @Override
  public int errno() {
    return SAVED_ERRNO.get()[0];
  }
}
