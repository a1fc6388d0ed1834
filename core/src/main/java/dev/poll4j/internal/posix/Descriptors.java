package dev.poll4j.internal.posix;

import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.Fcntl;
import dev.poll4j.internal.posix.sys.Pipe2;
import dev.poll4j.internal.posix.sys.Socket;
import dev.poll4j.internal.posix.sys.Stat;
import dev.poll4j.internal.posix.sys.Unistd;
import java.io.IOException;

/** Plain descriptor operations shared by every POSIX backend and source. */
public final class Descriptors {
  private Descriptors() {}

  /**
   * Closes a descriptor. EINTR counts as closed (Linux releases the descriptor before it can
   * happen; retrying could close a reused number).
   *
   * @param fd the descriptor
   * @throws IOException if {@code close} fails with another error
   */
  public static void close(int fd) throws IOException {
    if (Unistd.close(fd) != 0) {
      int errno = Errno.errno();
      if (errno != Errno.EINTR) {
        throw Errors.exception("close(" + fd + ")", errno);
      }
    }
  }

  /**
   * Closes every descriptor given, even when one fails; negative values are skipped.
   *
   * @param fds the descriptors
   * @throws IOException the first failure, with the later ones suppressed
   */
  public static void closeAll(int... fds) throws IOException {
    IOException failure = null;
    for (int fd : fds) {
      if (fd < 0) {
        continue;
      }
      try {
        close(fd);
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Closes a descriptor while already handling another failure; errors are added as suppressed.
   *
   * @param fd the descriptor, ignored if negative
   * @param primary the failure being reported
   */
  public static void closeQuietly(int fd, Throwable primary) {
    if (fd < 0) {
      return;
    }
    try {
      close(fd);
    } catch (IOException e) {
      primary.addSuppressed(e);
    }
  }

  /**
   * Creates a pipe whose ends are non-blocking and close-on-exec.
   *
   * <p>{@code pipe2} sets both flags atomically; on macOS, which lacks it, {@code pipe} is
   * followed by {@link #adopt}.
   *
   * @return {@code [readFd, writeFd]}
   * @throws IOException if {@code pipe2} or {@code pipe} fails (EMFILE, ENFILE)
   */
  public static int[] nonBlockingPipe() throws IOException {
    int[] fds = new int[2];
    if (Socket.HAS_SOCK_FLAGS) {
      if (Pipe2.pipe2(fds, Unistd.O_NONBLOCK | Unistd.O_CLOEXEC) != 0) {
        throw Errors.exception("pipe2(O_NONBLOCK|O_CLOEXEC)", Errno.errno());
      }
      return fds;
    }
    if (Unistd.pipe(fds) != 0) {
      throw Errors.exception("pipe", Errno.errno());
    }
    try {
      adopt(fds[0], true, "pipe");
      adopt(fds[1], true, "pipe");
    } catch (IOException e) {
      closeQuietly(fds[0], e);
      closeQuietly(fds[1], e);
      throw e;
    }
    return fds;
  }

  /**
   * Makes a new descriptor close-on-exec and, if asked, non-blocking, with {@code fcntl}: what
   * {@code SOCK_CLOEXEC}, {@code SOCK_NONBLOCK} and {@code pipe2} do atomically where they exist.
   * The caller closes the descriptor if this fails.
   *
   * @param fd the descriptor
   * @param nonBlocking whether to set {@code O_NONBLOCK}
   * @param call the call that made the descriptor, for messages
   * @throws IOException if {@code fcntl} fails
   */
  public static void adopt(int fd, boolean nonBlocking, String call) throws IOException {
    if (Fcntl.fcntl(fd, Fcntl.F_SETFD, Fcntl.FD_CLOEXEC) == -1) {
      throw Errors.exception(call + ": fcntl(" + fd + ", F_SETFD, FD_CLOEXEC)", Errno.errno());
    }
    if (!nonBlocking) {
      return;
    }
    int flags = Fcntl.fcntl(fd, Fcntl.F_GETFL);
    if (flags == -1 || Fcntl.fcntl(fd, Fcntl.F_SETFL, flags | Unistd.O_NONBLOCK) == -1) {
      throw Errors.exception(call + ": fcntl(" + fd + ", F_SETFL, O_NONBLOCK)", Errno.errno());
    }
  }

  /**
   * Checks that a descriptor can be given to a readiness poller: open, and neither a regular
   * file nor a directory (which every poller reports as always ready, and epoll refuses).
   *
   * @param call the name of the caller's operation, for the message
   * @param fd the descriptor
   * @throws IOException naming EBADF or EPERM, as epoll would
   */
  public static void checkPollable(String call, int fd) throws IOException {
    if (Fcntl.fcntl(fd, Fcntl.F_GETFD) == -1) {
      int errno = Errno.errno();
      throw Errors.exception(call, errno, Errors.registerDetail(errno, fd));
    }
    int type = Stat.fileType(fd);
    if (type == Stat.S_IFREG || type == Stat.S_IFDIR) {
      throw Errors.exception(call, Errno.EPERM, Errors.registerDetail(Errno.EPERM, fd));
    }
  }
}
