package dev.poll4j.internal.posix;

import dev.poll4j.internal.posix.sys.Accept4;
import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.IoCalls;
import dev.poll4j.internal.posix.sys.OsConstants;
import dev.poll4j.internal.posix.sys.Poll;
import dev.poll4j.internal.posix.sys.Socket;
import dev.poll4j.internal.posix.sys.Unistd;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * {@link SocketCalls} on Linux, macOS and the BSDs: the C library's socket calls, through the
 * direct-mapped bindings of {@code dev.poll4j.internal.posix.sys}. Sockets are descriptors, made
 * non-blocking and close-on-exec atomically ({@code SOCK_NONBLOCK|SOCK_CLOEXEC}, {@code accept4})
 * where the system can, with {@code fcntl} afterwards where it cannot (macOS); sends pass {@code
 * MSG_NOSIGNAL}, or the socket carries {@code SO_NOSIGPIPE} (macOS). The data calls go through
 * {@link IoCalls}, and so through FFM on JDK 22+.
 */
final class PosixSocketCalls implements SocketCalls {
  /** {@code struct iovec}: {@code iov_base} at 0, {@code size_t iov_len} at P. */
  private static final IoVector IOVEC =
      new IoVector(
          Socket.SIZEOF_IOVEC, Socket.OFFSET_IOV_BASE, Socket.OFFSET_IOV_LEN, Socket.POINTER_SIZE);

  /** The data calls: FFM on JDK 22+, JNA otherwise. */
  private static final IoCalls IO = IoCalls.CURRENT;

  PosixSocketCalls() {}

  @Override
  public int lastError() {
    return Errno.errno();
  }

  @Override
  public long socket(int family, int type) {
    return Socket.socket(family, type | Socket.SOCK_NONBLOCK | Socket.SOCK_CLOEXEC, 0);
  }

  @Override
  public void adopt(long s, boolean datagram, String call) throws IOException {
    int fd = (int) s;
    try {
      if (!Socket.HAS_SOCK_FLAGS) {
        Descriptors.adopt(fd, true, call);
      }
      if (Socket.SO_NOSIGPIPE != OsConstants.NONE) {
        SocketScratch x = SocketScratch.get();
        x.mem.putInt(SocketScratch.VALUE, 1);
        if (Socket.setsockopt(
                fd, Socket.SOL_SOCKET, Socket.SO_NOSIGPIPE, x.at(SocketScratch.VALUE), 4)
            != 0) {
          throw Errors.exception(call + ": setsockopt(" + fd + ", SO_NOSIGPIPE)", Errno.errno());
        }
      }
    } catch (IOException e) {
      Descriptors.closeQuietly(fd, e);
      throw e;
    }
  }

  @Override
  public long reserveSocket() {
    int fd = Socket.socket(Socket.AF_UNIX, Socket.SOCK_DGRAM | Socket.SOCK_CLOEXEC, 0);
    if (fd >= 0 && !Socket.HAS_SOCK_FLAGS) {
      try {
        Descriptors.adopt(fd, false, "socket(AF_UNIX, SOCK_DGRAM)");
      } catch (IOException e) {
        Unistd.close(fd);
        return -1;
      }
    }
    return fd;
  }

  @Override
  public int socketpair(int type, long[] pair) {
    int[] sv = new int[2];
    int rc =
        Socket.socketpair(
            Socket.AF_UNIX, type | Socket.SOCK_NONBLOCK | Socket.SOCK_CLOEXEC, 0, sv);
    pair[0] = sv[0];
    pair[1] = sv[1];
    return rc;
  }

  @Override
  public boolean hasUnixDatagrams() {
    return true;
  }

  @Override
  public boolean listenersReuseAddress() {
    return true;
  }

  @Override
  public int bind(long s, long addr, int len) {
    return Socket.bind((int) s, addr, len);
  }

  @Override
  public int listen(long s, int backlog) {
    return Socket.listen((int) s, backlog);
  }

  @Override
  public long accept(long s) {
    return Socket.HAS_SOCK_FLAGS
        ? Accept4.accept4((int) s, 0, 0, Socket.SOCK_NONBLOCK | Socket.SOCK_CLOEXEC)
        : Socket.accept((int) s, 0, 0);
  }

  @Override
  public boolean acceptAborted(int error) {
    return error == Errno.ECONNABORTED;
  }

  @Override
  public int connect(long s, long addr, int len) {
    return Socket.connect((int) s, addr, len);
  }

  @Override
  public boolean connectPending(int error) {
    // EINTR: the connection goes on asynchronously after an interrupted connect too.
    return error == Errno.EINPROGRESS || error == Errno.EINTR || error == Errno.EALREADY;
  }

  @Override
  public int pollConnect(long s) {
    SocketScratch x = SocketScratch.get();
    ByteBuffer m = x.mem;
    // A connecting stream socket turns writable (or errs, or hangs up) when the attempt ends.
    m.putInt(SocketScratch.VALUE + Poll.OFFSET_FD, (int) s);
    m.putShort(SocketScratch.VALUE + Poll.OFFSET_EVENTS, Poll.POLLOUT);
    m.putShort(SocketScratch.VALUE + Poll.OFFSET_REVENTS, (short) 0);
    int rc = Poll.poll(x.at(SocketScratch.VALUE), 1, 0);
    if (rc < 0) {
      return -1;
    }
    int rev = m.getShort(SocketScratch.VALUE + Poll.OFFSET_REVENTS);
    return rc > 0 && (rev & (Poll.POLLOUT | Poll.POLLERR | Poll.POLLHUP)) != 0 ? 1 : 0;
  }

  @Override
  public int getsockname(long s, long addr, long lenAddr) {
    return Socket.getsockname((int) s, addr, lenAddr);
  }

  @Override
  public int getpeername(long s, long addr, long lenAddr) {
    return Socket.getpeername((int) s, addr, lenAddr);
  }

  @Override
  public int getsockopt(long s, int level, int name, long val, long lenAddr) {
    return Socket.getsockopt((int) s, level, name, val, lenAddr);
  }

  @Override
  public int setsockopt(long s, int level, int name, long val, int len) {
    return Socket.setsockopt((int) s, level, name, val, len);
  }

  @Override
  public int shutdown(long s, int how) {
    return Socket.shutdown((int) s, how);
  }

  @Override
  public long recv(long s, long buf, int len, int flags) {
    return IO.recv((int) s, buf, len, flags);
  }

  @Override
  public long send(long s, long buf, int len, int flags) {
    return IO.send((int) s, buf, len, flags | Socket.MSG_NOSIGNAL);
  }

  @Override
  public long recvfrom(long s, long buf, int len, int flags, long addr, long lenAddr) {
    return IO.recvfrom((int) s, buf, len, flags, addr, lenAddr);
  }

  @Override
  public long sendto(long s, long buf, int len, long addr, int addrLen) {
    return IO.sendto((int) s, buf, len, Socket.MSG_NOSIGNAL, addr, addrLen);
  }

  @Override
  public IoVector vector() {
    return IOVEC;
  }

  @Override
  public long recvVector(long s, SocketScratch x) {
    putMsghdr(x);
    return IO.recvmsg((int) s, x.at(SocketScratch.MSG), 0);
  }

  @Override
  public long sendVector(long s, SocketScratch x) {
    putMsghdr(x);
    return IO.sendmsg((int) s, x.at(SocketScratch.MSG), Socket.MSG_NOSIGNAL);
  }

  // A msghdr at MSG with no name and no control data, pointing at the x.iovCount iovecs at IOV.
  private static void putMsghdr(SocketScratch x) {
    ByteBuffer m = x.mem;
    for (int i = 0; i < Socket.SIZEOF_MSGHDR; i += Socket.POINTER_SIZE) {
      putWord(m, SocketScratch.MSG + i, 0);
    }
    putWord(m, SocketScratch.MSG + Socket.OFFSET_MSG_IOV, x.at(SocketScratch.IOV));
    if (Socket.SIZEOF_MSG_IOVLEN == 4) {
      m.putInt(SocketScratch.MSG + Socket.OFFSET_MSG_IOVLEN, x.iovCount); // an int on the BSDs
    } else {
      putWord(m, SocketScratch.MSG + Socket.OFFSET_MSG_IOVLEN, x.iovCount);
    }
  }

  private static void putWord(ByteBuffer m, int off, long v) {
    if (Socket.POINTER_SIZE == 8) {
      m.putLong(off, v);
    } else {
      m.putInt(off, (int) v);
    }
  }

  @Override
  public int close(long s) {
    return Unistd.close((int) s);
  }
}
