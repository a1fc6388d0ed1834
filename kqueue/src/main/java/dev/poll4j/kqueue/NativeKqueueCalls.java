package dev.poll4j.kqueue;

import dev.poll4j.internal.posix.sys.Fcntl;
import dev.poll4j.kqueue.sys.KeventLayout;
import dev.poll4j.kqueue.sys.KeventSizeT;
import dev.poll4j.kqueue.sys.Kqueue;
import dev.poll4j.kqueue.sys.Pipe;

/** {@link KqueueCalls} through the JNA bindings of {@code dev.poll4j.kqueue.sys}. */
final class NativeKqueueCalls implements KqueueCalls {
  // NetBSD's kevent takes size_t counts and has its own symbol (KeventSizeT).
  private final boolean sizeTCounts;

  NativeKqueueCalls(KeventLayout layout) {
    this.sizeTCounts = layout.sizeTCounts();
  }

  @Override
  public int kqueue() {
    int kq = Kqueue.kqueue();
    if (kq >= 0 && Fcntl.fcntl(kq, Fcntl.F_SETFD, Fcntl.FD_CLOEXEC) == -1) {
      int errno = Kqueue.errno();
      Pipe.close(kq);
      lastErrno.set(errno);
      return -1;
    }
    if (kq < 0) {
      lastErrno.set(Kqueue.errno());
    }
    return kq;
  }

  @Override
  public int kevent(int kq, long changes, int nchanges, long events, int nevents, long timeout) {
    int rc = sizeTCounts
        ? KeventSizeT.kevent(kq, changes, nchanges, events, nevents, timeout)
        : Kqueue.kevent(kq, changes, nchanges, events, nevents, timeout);
    if (rc < 0) {
      lastErrno.set(Kqueue.errno());
    }
    return rc;
  }

  @Override
  public int pipe(int[] fds) {
    if (Pipe.pipe(fds) != 0) {
      lastErrno.set(Kqueue.errno());
      return -1;
    }
    for (int fd : fds) {
      int fl = Fcntl.fcntl(fd, Fcntl.F_GETFL);
      if (fl == -1
          || Fcntl.fcntl(fd, Fcntl.F_SETFL, fl | Pipe.O_NONBLOCK) == -1
          || Fcntl.fcntl(fd, Fcntl.F_SETFD, Fcntl.FD_CLOEXEC) == -1) {
        lastErrno.set(Kqueue.errno());
        Pipe.close(fds[0]);
        Pipe.close(fds[1]);
        return -1;
      }
    }
    return 0;
  }

  @Override
  public long read(int fd, long buf, long count) {
    long n = Pipe.read(fd, buf, count);
    if (n < 0) {
      lastErrno.set(Kqueue.errno());
    }
    return n;
  }

  @Override
  public long write(int fd, long buf, long count) {
    long n = Pipe.write(fd, buf, count);
    if (n < 0) {
      lastErrno.set(Kqueue.errno());
    }
    return n;
  }

  @Override
  public int close(int fd) {
    int rc = Pipe.close(fd);
    if (rc < 0) {
      lastErrno.set(Kqueue.errno());
    }
    return rc;
  }

  // The errno of the last failure per thread, saved at once: the fcntl and close calls of the
  // clean-up paths above would otherwise overwrite it.
  private static final ThreadLocal<int[]> SAVED = ThreadLocal.withInitial(() -> new int[1]);

  private static final class Saved {
    void set(int errno) {
      SAVED.get()[0] = errno;
    }
  }

  private final Saved lastErrno = new Saved();

  @Override
  public int errno() {
    return SAVED.get()[0];
  }
}
