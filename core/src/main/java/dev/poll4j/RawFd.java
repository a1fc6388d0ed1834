package dev.poll4j;

import dev.poll4j.internal.posix.sys.Os;
import dev.poll4j.spi.Ops;
import dev.poll4j.spi.SourceHandle;

/**
 * Any POSIX file descriptor the caller owns, as a {@link Source}: pipes, eventfd, timerfd,
 * signalfd, inotify, tun devices, serial ports, sockets made elsewhere.
 *
 * <p>poll4j never reads, writes or closes the descriptor. The caller must {@link
 * Registry#deregister deregister} it before closing it, and keep it open while it is registered.
 * Regular files and directories cannot be registered (they are always ready; epoll refuses them
 * with {@code EPERM}, and so does poll4j on every backend).
 *
 * <p>Edge mode on backends that emulate it ({@link Poll#emulatesEdge()}): poll4j cannot see the
 * caller's I/O, so after an operation on the descriptor returns {@code EAGAIN} the caller calls
 * {@link #rearm(Interest)}, or the next event for that direction may never come. On epoll and
 * kqueue {@code rearm} does nothing, so portable code calls it.
 */
public final class RawFd implements Source {
  private final SourceHandle handle;

  private RawFd(int fd) {
    this.handle = SourceHandle.borrowed(fd, "fd");
  }

  /**
   * Wraps a descriptor.
   *
   * @param fd an open descriptor, {@code >= 0}; it should be non-blocking
   * @return a source for it
   * @throws IllegalArgumentException if {@code fd < 0}
   * @throws UnsupportedOperationException on Windows, which has no POSIX descriptors
   */
  public static RawFd of(int fd) {
    if (fd < 0) {
      throw new IllegalArgumentException("fd < 0: " + fd);
    }
    Os.requirePosix("RawFd");
    return new RawFd(fd);
  }

  /**
   * The descriptor.
   *
   * @return the descriptor given to {@link #of(int)}
   */
  public int fd() {
    return handle.fd();
  }

  /**
   * Tells poll4j that an operation of the caller's on this descriptor returned {@code EAGAIN} for
   * the given directions, so edge-mode readiness is re-armed on backends that emulate it. Cheap,
   * and a no-op on epoll and kqueue and for level and oneshot registrations.
   *
   * @param wouldBlock the directions that would block
   */
  public void rearm(Interest wouldBlock) {
    handle.wouldBlock(wouldBlock.bits() & (Ops.READABLE | Ops.WRITABLE | Ops.PRIORITY));
  }

  @Override
  public SourceHandle handle() {
    return handle;
  }

  @Override
  public String toString() {
    return "RawFd[" + handle.fd() + "]";
  }
}
