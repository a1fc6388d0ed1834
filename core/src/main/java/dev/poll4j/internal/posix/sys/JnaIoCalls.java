package dev.poll4j.internal.posix.sys;

/**
 * {@link IoCalls} through JNA direct mapping: the natives of {@link Unistd}, {@link Socket} and
 * {@link Poll}, with JNA's saved errno negated into the result on failure.
 */
final class JnaIoCalls implements IoCalls {
  JnaIoCalls() {}

  @Override
  public String binding() {
    return NativeBinding.JNA;
  }

  private static long result(long rc) {
    return rc < 0 ? -Errno.errno() : rc;
  }

  @Override
  public long read(int fd, long buf, long count) {
    return result(Unistd.read(fd, buf, count));
  }

  @Override
  public long write(int fd, long buf, long count) {
    return result(Unistd.write(fd, buf, count));
  }

  @Override
  public long recv(int fd, long buf, long len, int flags) {
    return result(Socket.recv(fd, buf, len, flags));
  }

  @Override
  public long send(int fd, long buf, long len, int flags) {
    return result(Socket.send(fd, buf, len, flags));
  }

  @Override
  public long recvfrom(int fd, long buf, long len, int flags, long addr, long addrlen) {
    return result(Socket.recvfrom(fd, buf, len, flags, addr, addrlen));
  }

  @Override
  public long sendto(int fd, long buf, long len, int flags, long addr, int addrlen) {
    return result(Socket.sendto(fd, buf, len, flags, addr, addrlen));
  }

  @Override
  public long recvmsg(int fd, long msg, int flags) {
    return result(Socket.recvmsg(fd, msg, flags));
  }

  @Override
  public long sendmsg(int fd, long msg, int flags) {
    return result(Socket.sendmsg(fd, msg, flags));
  }

  @Override
  public int poll(long fds, long nfds, int timeout) {
    int rc = Poll.poll(fds, nfds, timeout);
    return rc < 0 ? -Errno.errno() : rc;
  }
}
