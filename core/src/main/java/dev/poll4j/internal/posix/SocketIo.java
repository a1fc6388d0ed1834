package dev.poll4j.internal.posix;

import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.Socket;
import dev.poll4j.spi.Ops;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The data path of a {@link NetSocket}, with NIO's conventions: the byte count, {@code 0} when
 * the call would block, {@code -1} at end of stream (stream sockets). Would-block never throws
 * and allocates nothing; it calls the socket's would-block hook ({@code READABLE|PRIORITY} for
 * receiving, {@code WRITABLE} for sending), which re-arms edge-mode registrations on backends
 * that emulate edge mode. A successful call, a successful peek included, does not. {@code EINTR}
 * is retried.
 *
 * <p>Direct buffers go to the kernel as they are. Heap buffers are staged through the calling
 * thread's {@link FdIo#staging staging buffer}, so one call moves at most 1 MiB of heap data.
 * Scatter/gather calls put direct buffers into the {@code iovec} array by address and stage
 * heap buffers, in order, up to the staging buffer's size. Sends never raise {@code SIGPIPE}
 * ({@code MSG_NOSIGNAL}); a send to a closed peer fails with {@code EPIPE} instead.
 *
 * <p>The native calls are the socket's {@link SocketCalls}: on Windows, {@code WSARecv} and
 * {@code WSASend} with {@code WSABUF}s take the place of {@code recvmsg} and {@code sendmsg}.
 */
public final class SocketIo {
  /** What a receive that would block re-arms: urgent data is readiness for receiving too. */
  private static final int RECV_BLOCKED = Ops.READABLE | Ops.PRIORITY;

  private SocketIo() {}

  // ---- streams ------------------------------------------------------------------------------

  /**
   * Receives from a stream socket into {@code dst}, or peeks.
   *
   * @param s the socket
   * @param dst the buffer; its position advances by the count received
   * @param peek true to leave the data queued ({@code MSG_PEEK})
   * @return bytes received, {@code 0} if none is available or {@code dst} is full, {@code -1} at
   *     end of stream
   * @throws IOException if the call fails, or the socket is closed
   */
  public static int read(NetSocket s, ByteBuffer dst, boolean peek) throws IOException {
    checkWritable(dst);
    s.ensureOpen();
    int want = dst.remaining();
    if (want == 0) {
      return 0;
    }
    int flags = peek ? Socket.MSG_PEEK : 0;
    long n = dst.isDirect() ? recv(s, dst, want, flags) : recvStaged(s, dst, want, flags);
    if (n > 0) {
      return (int) n;
    }
    if (n == 0) {
      return -1;
    }
    return streamReceiveFailed(s, peek ? "recv(MSG_PEEK)" : "recv", n);
  }

  /**
   * Sends {@code src} on a stream socket.
   *
   * @param s the socket
   * @param src the buffer; its position advances by the count sent
   * @return bytes sent, {@code 0} if the send buffer is full or {@code src} is empty
   * @throws IOException if the call fails ({@code EPIPE}, a reset), or the socket is closed
   */
  public static int write(NetSocket s, ByteBuffer src) throws IOException {
    s.ensureOpen();
    int want = src.remaining();
    if (want == 0) {
      return 0;
    }
    long n = src.isDirect() ? send(s, src, want, 0) : sendStaged(s, src, want, 0);
    return n >= 0 ? (int) n : blocked(s, "send", Ops.WRITABLE, n);
  }

  /**
   * Scatter read from a stream socket ({@code recvmsg} with an {@code iovec} per buffer).
   *
   * @param s the socket
   * @param dsts the buffers, filled in order; positions advance by what each received
   * @param offset the first buffer to use
   * @param length how many buffers to use
   * @return bytes received, {@code 0} if none is available or the buffers are full, {@code -1}
   *     at end of stream
   * @throws IOException if the call fails, or the socket is closed
   * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit
   */
  public static long read(NetSocket s, ByteBuffer[] dsts, int offset, int length)
      throws IOException {
    Objects.checkFromIndexSize(offset, length, dsts.length);
    for (int i = offset; i < offset + length; i++) {
      checkWritable(dsts[i]);
    }
    s.ensureOpen();
    SocketScratch x = SocketScratch.get();
    buildIov(s.calls.vector(), x, dsts, offset, length, false);
    if (x.iovCount == 0) {
      return 0;
    }
    long n;
    do {
      n = s.calls.recvVector(s.handle().value(), x);
    } while (n == -Errno.EINTR);
    if (n > 0) {
      advance(s.calls.vector(), x, dsts, n, false);
      return n;
    }
    if (n == 0) {
      return -1;
    }
    return streamReceiveFailed(s, "recvmsg", n);
  }

  /**
   * Gather write to a stream socket ({@code sendmsg} with an {@code iovec} per buffer).
   *
   * @param s the socket
   * @param srcs the buffers, sent in order; positions advance by what each gave
   * @param offset the first buffer to use
   * @param length how many buffers to use
   * @return bytes sent, {@code 0} if the send buffer is full or the buffers are empty
   * @throws IOException if the call fails, or the socket is closed
   * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit
   */
  public static long write(NetSocket s, ByteBuffer[] srcs, int offset, int length)
      throws IOException {
    Objects.checkFromIndexSize(offset, length, srcs.length);
    s.ensureOpen();
    SocketScratch x = SocketScratch.get();
    buildIov(s.calls.vector(), x, srcs, offset, length, true);
    if (x.iovCount == 0) {
      return 0;
    }
    long n;
    do {
      n = s.calls.sendVector(s.handle().value(), x);
    } while (n == -Errno.EINTR);
    if (n >= 0) {
      advance(s.calls.vector(), x, srcs, n, true);
      return n;
    }
    return blocked(s, "sendmsg", Ops.WRITABLE, n);
  }

  /**
   * Sends one byte of TCP urgent data ({@code MSG_OOB}).
   *
   * @param s the socket
   * @param b the byte, in its low 8 bits
   * @return true if sent, false if the send buffer is full
   * @throws IOException if the call fails, or the socket is closed
   */
  public static boolean sendUrgent(NetSocket s, int b) throws IOException {
    s.ensureOpen();
    SocketScratch x = SocketScratch.get();
    x.oneByte.clear();
    x.oneByte.put(0, (byte) b);
    long n = send(s, x.oneByte, 1, Socket.MSG_OOB);
    return n > 0 || blocked(s, "send(MSG_OOB)", Ops.WRITABLE, n) != 0;
  }

  /**
   * Receives the byte of TCP urgent data ({@code MSG_OOB}) that the peer sent last.
   *
   * @param s the socket
   * @return the byte (0 to 255), or {@code -1} when none is pending, it was read already, or it
   *     is delivered inline; the would-block hook is then called
   * @throws IOException if the call fails, or the socket is closed
   */
  public static int recvUrgent(NetSocket s) throws IOException {
    s.ensureOpen();
    SocketScratch x = SocketScratch.get();
    x.oneByte.clear();
    long n = recv(s, x.oneByte, 1, Socket.MSG_OOB);
    if (n > 0) {
      return x.oneByte.get(0) & 0xff;
    }
    if (n < 0 && n != -Errno.EINVAL) { // EINVAL: no urgent data (Linux)
      blocked(s, "recv(MSG_OOB)", RECV_BLOCKED, n);
    } else {
      s.handle().wouldBlock(RECV_BLOCKED);
    }
    return -1;
  }

  // ---- datagrams ----------------------------------------------------------------------------

  /**
   * Receives one datagram from the connected peer, truncated to {@code dst.remaining()}.
   *
   * @param s the socket
   * @param dst the buffer; its position advances by the count received
   * @param peek true to leave the datagram queued
   * @return bytes received, {@code 0} for an empty datagram or when none is queued
   * @throws IOException if the call fails (a {@link java.net.PortUnreachableException} after an
   *     ICMP port-unreachable), or the socket is closed
   */
  public static int recv(NetSocket s, ByteBuffer dst, boolean peek) throws IOException {
    checkWritable(dst);
    s.ensureOpen();
    int want = dst.remaining();
    int flags = peek ? Socket.MSG_PEEK : 0;
    long n = dst.isDirect() ? recv(s, dst, want, flags) : recvStaged(s, dst, want, flags);
    return n >= 0 ? (int) n : blocked(s, peek ? "recv(MSG_PEEK)" : "recv", RECV_BLOCKED, n);
  }

  /**
   * Receives one datagram and its sender, truncated to {@code dst.remaining()}.
   *
   * @param s the socket
   * @param dst the buffer; its position advances by the count received
   * @param peek true to leave the datagram queued
   * @return the sender's address (the same object as last time when the sender is the same, on
   *     this thread; {@link Sockaddr#UNNAMED} for an unnamed Unix socket), or null when no
   *     datagram is queued
   * @throws IOException if the call fails, or the socket is closed
   */
  public static SocketAddress recvFrom(NetSocket s, ByteBuffer dst, boolean peek)
      throws IOException {
    checkWritable(dst);
    s.ensureOpen();
    SocketScratch x = SocketScratch.get();
    int want = dst.remaining();
    int flags = peek ? Socket.MSG_PEEK : 0;
    long addr = x.at(SocketScratch.ADDR_IN);
    long lenAddr = x.at(SocketScratch.LEN);
    long n;
    if (dst.isDirect()) {
      long at = x.directAddress(dst);
      do {
        x.mem.putInt(SocketScratch.LEN, Sockaddr.STORAGE_SIZE);
        n = s.calls.recvfrom(s.handle().value(), at, want, flags, addr, lenAddr);
      } while (n == -Errno.EINTR);
      if (n >= 0) {
        dst.position(dst.position() + (int) n);
      }
    } else {
      ByteBuffer tmp = FdIo.staging(want);
      int len = Math.min(want, tmp.capacity());
      long at = x.directAddress(tmp);
      do {
        x.mem.putInt(SocketScratch.LEN, Sockaddr.STORAGE_SIZE);
        n = s.calls.recvfrom(s.handle().value(), at, len, flags, addr, lenAddr);
      } while (n == -Errno.EINTR);
      if (n > 0) {
        tmp.limit((int) n);
        dst.put(tmp);
      }
    }
    if (n < 0) {
      blocked(s, peek ? "recvfrom(MSG_PEEK)" : "recvfrom", RECV_BLOCKED, n);
      return null;
    }
    SocketAddress from = x.getSource(x.mem.getInt(SocketScratch.LEN));
    if (from == null) { // no address: the sender is an unnamed Unix socket
      from = s.family() == NetSocket.UNIX ? Sockaddr.UNNAMED : s.peerAddress();
    }
    return from != null ? from : Sockaddr.UNNAMED;
  }

  /**
   * Sends {@code src} as one datagram to the connected peer, or to {@code target}.
   *
   * @param s the socket
   * @param src the datagram; its position advances to its limit when sent
   * @param target the destination, or null for the connected peer
   * @return bytes sent (all of {@code src}), or {@code 0} when the send buffer is full (an empty
   *     datagram also gives {@code 0})
   * @throws IOException if the call fails ({@code EMSGSIZE} for a datagram too large), or the
   *     socket is closed
   */
  public static int send(NetSocket s, ByteBuffer src, SocketAddress target) throws IOException {
    s.ensureOpen();
    SocketScratch x = SocketScratch.get();
    int want = src.remaining();
    int addrLen = target == null ? 0 : x.putTarget(target, s.family());
    long addr = target == null ? 0 : x.at(SocketScratch.ADDR_OUT);
    long n;
    if (src.isDirect()) {
      long at = x.directAddress(src);
      do {
        n = s.calls.sendto(s.handle().value(), at, want, addr, addrLen);
      } while (n == -Errno.EINTR);
      if (n > 0) {
        src.position(src.position() + (int) n);
      }
    } else {
      ByteBuffer tmp = FdIo.staging(want);
      if (want > tmp.capacity()) { // a datagram cannot be split
        throw Errors.exception("sendto(" + s + ")", Errno.EMSGSIZE, want + " bytes");
      }
      int pos = src.position();
      tmp.put(0, src, pos, want);
      long at = x.directAddress(tmp);
      do {
        n = s.calls.sendto(s.handle().value(), at, want, addr, addrLen);
      } while (n == -Errno.EINTR);
      if (n > 0) {
        src.position(pos + (int) n);
      }
    }
    return n >= 0 ? (int) n : blocked(s, "sendto", Ops.WRITABLE, n);
  }

  // ---- internals ----------------------------------------------------------------------------

  private static void checkWritable(ByteBuffer dst) {
    if (dst.isReadOnly()) {
      throw new IllegalArgumentException("Read-only buffer");
    }
  }

  // recv into a direct buffer, EINTR retried; advances the position. Returns the raw result.
  private static long recv(NetSocket s, ByteBuffer dst, int len, int flags) {
    long at = SocketScratch.get().directAddress(dst);
    long n;
    do {
      n = s.calls.recv(s.handle().value(), at, len, flags);
    } while (n == -Errno.EINTR);
    if (n > 0) {
      dst.position(dst.position() + (int) n);
    }
    return n;
  }

  private static long recvStaged(NetSocket s, ByteBuffer dst, int want, int flags) {
    ByteBuffer tmp = FdIo.staging(want);
    long at = SocketScratch.get().directAddress(tmp);
    long n;
    do {
      n = s.calls.recv(s.handle().value(), at, Math.min(want, tmp.capacity()), flags);
    } while (n == -Errno.EINTR);
    if (n > 0) {
      tmp.limit((int) n);
      dst.put(tmp);
    }
    return n;
  }

  // send from a direct buffer, EINTR retried; advances the position. Returns the raw result.
  private static long send(NetSocket s, ByteBuffer src, int len, int flags) {
    long at = SocketScratch.get().directAddress(src);
    long n;
    do {
      n = s.calls.send(s.handle().value(), at, len, flags);
    } while (n == -Errno.EINTR);
    if (n > 0) {
      src.position(src.position() + (int) n);
    }
    return n;
  }

  private static long sendStaged(NetSocket s, ByteBuffer src, int want, int flags) {
    ByteBuffer tmp = FdIo.staging(want);
    int len = Math.min(want, tmp.capacity());
    int pos = src.position();
    tmp.put(0, src, pos, len);
    long at = SocketScratch.get().directAddress(tmp);
    long n;
    do {
      n = s.calls.send(s.handle().value(), at, len, flags);
    } while (n == -Errno.EINTR);
    if (n > 0) {
      src.position(pos + (int) n);
    }
    return n;
  }

  // After a failed stream receive (n = -error): -1 where the read half is shut down, else as
  // blocked(). A POSIX receive after shutdown(SHUT_RD) returns end of stream; Winsock fails it
  // with WSAESHUTDOWN, which is EPIPE's value in Errno's Windows column (no POSIX receive fails
  // with EPIPE), so both keep shutdownInput's contract: later reads return -1.
  private static int streamReceiveFailed(NetSocket s, String call, long n) throws IOException {
    if ((int) -n == Errno.EPIPE) {
      return -1;
    }
    return blocked(s, call, RECV_BLOCKED, n);
  }

  // After a failed data call (n = -error): 0 and the would-block hook for EAGAIN, else the
  // exception.
  private static int blocked(NetSocket s, String call, int ops, long n) throws IOException {
    int errno = (int) -n;
    if (errno == Errno.EAGAIN) {
      s.handle().wouldBlock(ops);
      return 0;
    }
    throw s.failure(call, errno);
  }

  // ---- iovec --------------------------------------------------------------------------------

  // Fills the vector of x (iovecs, or WSABUFs on Windows, laid out by v) for the buffers'
  // remaining bytes: direct buffers by address, heap buffers through the staging buffer (copied
  // in when sending). Stops at IOV_MAX entries, or after a heap buffer that only partly fits the
  // staging buffer (later buffers must not overtake it). Records the count, the buffer of each
  // entry, and the staging buffer in x. The SocketCalls builds what else its call takes (the
  // msghdr of recvmsg/sendmsg).
  private static void buildIov(
      IoVector v, SocketScratch x, ByteBuffer[] bufs, int offset, int length, boolean sending) {
    ByteBuffer m = x.mem;
    long heap = 0;
    for (int i = offset; i < offset + length; i++) {
      if (!bufs[i].isDirect()) {
        heap += bufs[i].remaining();
      }
    }
    ByteBuffer stage = heap > 0 ? FdIo.staging((int) Math.min(heap, Integer.MAX_VALUE)) : null;
    long stageAddress = stage != null ? x.directAddress(stage) : 0;
    int staged = 0;
    int count = 0;
    for (int i = offset; i < offset + length && count < Socket.IOV_MAX; i++) {
      ByteBuffer b = bufs[i];
      int rem = b.remaining();
      if (rem == 0) {
        continue;
      }
      long base;
      int len;
      if (b.isDirect()) {
        base = x.directAddress(b);
        len = rem;
      } else {
        len = Math.min(rem, stage.capacity() - staged);
        if (len == 0) {
          break;
        }
        base = stageAddress + staged;
        if (sending) {
          stage.put(staged, b, b.position(), len);
        }
        staged += len;
      }
      int e = SocketScratch.IOV + count * v.size;
      putWord(m, e + v.baseOffset, base);
      putSized(m, e + v.lengthOffset, len, v.lengthSize);
      x.iovBuffer[count++] = i;
      if (len < rem) {
        break;
      }
    }
    x.iovCount = count;
    x.stage = stage;
  }

  // Moves the positions of the buffers of the last buildIov by the n bytes transferred, in
  // order, and copies received bytes out of the staging buffer into heap buffers.
  private static void advance(
      IoVector v, SocketScratch x, ByteBuffer[] bufs, long n, boolean sending) {
    ByteBuffer m = x.mem;
    long left = n;
    int staged = 0;
    for (int e = 0; e < x.iovCount && left > 0; e++) {
      ByteBuffer b = bufs[x.iovBuffer[e]];
      int len = (int) getSized(m, SocketScratch.IOV + e * v.size + v.lengthOffset, v.lengthSize);
      int took = (int) Math.min(left, len);
      if (!b.isDirect()) {
        if (!sending) {
          b.put(b.position(), x.stage, staged, took);
        }
        staged += len;
      }
      b.position(b.position() + took);
      left -= took;
    }
  }

  private static void putWord(ByteBuffer m, int off, long v) {
    if (Socket.POINTER_SIZE == 8) {
      m.putLong(off, v);
    } else {
      m.putInt(off, (int) v);
    }
  }

  // A length field of 4 or 8 bytes (size_t or ULONG).
  private static void putSized(ByteBuffer m, int off, long v, int size) {
    if (size == 8) {
      m.putLong(off, v);
    } else {
      m.putInt(off, (int) v);
    }
  }

  private static long getSized(ByteBuffer m, int off, int size) {
    return size == 8 ? m.getLong(off) : m.getInt(off) & 0xffffffffL;
  }
}
