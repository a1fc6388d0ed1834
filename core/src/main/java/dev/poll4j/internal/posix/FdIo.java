package dev.poll4j.internal.posix;

import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.IoCalls;
import dev.poll4j.spi.SourceHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * {@code read} and {@code write} on a descriptor with NIO's conventions: the byte count, {@code
 * 0} when the call would block, {@code -1} at end of stream. EAGAIN never throws and allocates
 * nothing; EINTR is retried.
 *
 * <p>Direct buffers go to the kernel as they are: their address (the base, cached per thread by
 * {@link SocketScratch#directAddress}, plus the position) is passed as a {@code long}, which
 * spares JNA's conversion of a {@code ByteBuffer} argument on every call. Heap buffers are staged through one direct buffer per thread, allocated on first use and grown when
 * a larger transfer needs it, never per call.
 */
public final class FdIo {
  /** Size of the first per-thread staging buffer; grown on demand up to {@link #MAX_STAGING}. */
  private static final int INITIAL_STAGING = 64 * 1024;
  /** A single heap-buffer transfer moves at most this much (like the JDK's temporary buffers). */
  private static final int MAX_STAGING = 1024 * 1024;

  private static final ThreadLocal<ByteBuffer[]> STAGING =
      ThreadLocal.withInitial(() -> new ByteBuffer[1]);

  private FdIo() {}

  /**
   * The calling thread's staging buffer for heap-buffer I/O, cleared, with a capacity of at
   * least {@code min(want, 1 MiB)} (at least 64 KiB). Valid until the thread's next call into
   * {@code FdIo} or another user of it (such as the socket I/O); never hand it out.
   *
   * @param want the transfer size the caller would like to stage
   * @return the direct staging buffer, position 0, limit = capacity
   */
  public static ByteBuffer staging(int want) {
    ByteBuffer[] slot = STAGING.get();
    ByteBuffer b = slot[0];
    int size = Math.min(Math.max(want, INITIAL_STAGING), MAX_STAGING);
    if (b == null || b.capacity() < size) {
      b = ByteBuffer.allocateDirect(Integer.highestOneBit(size - 1) << 1);
      slot[0] = b;
    }
    b.clear();
    return b;
  }

  /**
   * Reads from the handle into {@code dst}.
   *
   * @param h the handle
   * @param dst the buffer; its position advances by the count read
   * @return bytes read, {@code 0} if it would block or {@code dst} is full, {@code -1} at end
   * @throws IOException if the read fails or the handle is closed
   */
  public static int read(SourceHandle h, ByteBuffer dst) throws IOException {
    int want = dst.remaining();
    if (h.isClosed()) {
      throw new ClosedChannelException();
    }
    if (want == 0) {
      return 0;
    }
    if (dst.isDirect()) {
      int n = check(true, h, readFully(h.fd(), dst, want));
      if (n > 0) {
        dst.position(dst.position() + n);
      }
      return n;
    }
    ByteBuffer tmp = staging(want);
    int n = check(true, h, readFully(h.fd(), tmp, Math.min(want, tmp.capacity())));
    if (n > 0) {
      tmp.limit(n);
      dst.put(tmp);
    }
    return n;
  }

  /**
   * Writes {@code src} to the handle.
   *
   * @param h the handle
   * @param src the buffer; its position advances by the count written
   * @return bytes written, {@code 0} if it would block or {@code src} is empty
   * @throws IOException if the write fails or the handle is closed
   */
  public static int write(SourceHandle h, ByteBuffer src) throws IOException {
    int want = src.remaining();
    if (h.isClosed()) {
      throw new ClosedChannelException();
    }
    if (want == 0) {
      return 0;
    }
    if (src.isDirect()) {
      int n = check(false, h, writeFully(h.fd(), src, want));
      if (n > 0) {
        src.position(src.position() + n);
      }
      return n;
    }
    ByteBuffer tmp = staging(want);
    int len = Math.min(want, tmp.capacity());
    int pos = src.position();
    tmp.put(0, src, pos, len); // absolute bulk put: JDK 16+
    int n = check(false, h, writeFully(h.fd(), tmp, len));
    if (n > 0) {
      src.position(pos + n);
    }
    return n;
  }

  private static long readFully(int fd, ByteBuffer b, int len) {
    long at = SocketScratch.get().directAddress(b);
    long n;
    do {
      n = IoCalls.CURRENT.read(fd, at, len);
    } while (n == -Errno.EINTR);
    return n;
  }

  private static long writeFully(int fd, ByteBuffer b, int len) {
    long at = SocketScratch.get().directAddress(b);
    long n;
    do {
      n = IoCalls.CURRENT.write(fd, at, len);
    } while (n == -Errno.EINTR);
    return n;
  }

  // Maps a raw result: >= 0 stays (0 from read means end of stream, so becomes -1), EAGAIN is 0.
  private static int check(boolean isRead, SourceHandle h, long n) throws IOException {
    if (n > 0) {
      return (int) n;
    }
    if (n == 0) {
      return isRead ? -1 : 0;
    }
    int errno = (int) -n;
    if (errno == Errno.EAGAIN) {
      return 0;
    }
    if (errno == Errno.EBADF && h.isClosed()) {
      throw new ClosedChannelException();
    }
    throw Errors.exception((isRead ? "read(" : "write(") + h + ")", errno);
  }
}
