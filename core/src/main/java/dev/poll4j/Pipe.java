package dev.poll4j;

import dev.poll4j.internal.posix.Descriptors;
import dev.poll4j.internal.posix.FdIo;
import dev.poll4j.internal.posix.NetSocket;
import dev.poll4j.internal.posix.SocketIo;
import dev.poll4j.internal.posix.SocketPipe;
import dev.poll4j.internal.posix.sys.Os;
import dev.poll4j.spi.Ops;
import dev.poll4j.spi.SourceHandle;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A unidirectional pipe whose two ends are non-blocking, close-on-exec {@link Source}s.
 *
 * <p>On POSIX systems it is a pipe ({@code pipe2}, or {@code pipe} and {@code fcntl}). Windows
 * has no pipe that its event queue can poll, so there, as the JDK's {@code Pipe} does it, it is a
 * connected pair of TCP sockets on the loopback address: the read end is only read and can only
 * become readable, the write end only written and can only become writable, and each end's
 * {@link Reader#fd() fd()} is its {@code SOCKET} value. What differs there: a write after the
 * read end was closed fails with the reset of the connection (a {@link java.net.SocketException}
 * "Connection reset", or a {@link NativeIOException} naming a Winsock error) where POSIX gives
 * {@code EPIPE}; and a read end is closed with a reset, so data it did not read is gone, as with
 * a pipe.
 *
 * <p>I/O follows NIO's conventions: {@link Reader#read} returns the number of bytes read, {@code
 * 0} when it would block, {@code -1} at end of stream (the writer is closed); {@link
 * Writer#write} returns the number of bytes written, {@code 0} when the pipe is full. Would-block
 * never throws and allocates nothing. Heap and direct buffers both work; direct buffers go to the
 * kernel without a copy. Closing an end ends its registration first.
 *
 * <pre>{@code
 * try (Pipe pipe = Pipe.open()) {
 *   registry.register(pipe.reader(), 7, Interest.READABLE);
 *   pipe.writer().write(ByteBuffer.wrap(new byte[] {42}));
 * }
 * }</pre>
 */
public final class Pipe implements Closeable {
  private final Reader reader;
  private final Writer writer;

  private Pipe(Reader reader, Writer writer) {
    this.reader = reader;
    this.writer = writer;
  }

  /**
   * Creates a pipe.
   *
   * @return the pipe; close it (or both ends) when done
   * @throws IOException if the OS cannot create one, for example at the open-files limit; on
   *     Windows if a socket call fails or the loopback pair is not connected within 10 seconds
   */
  public static Pipe open() throws IOException {
    if (!Os.current().isPosix()) {
      return overSockets(SocketPipe.open());
    }
    int[] fds = Descriptors.nonBlockingPipe();
    return new Pipe(new Reader(fds[0]), new Writer(fds[1]));
  }

  /**
   * A pipe over a connected socket pair: what {@link #open()} makes on Windows; tests make it on
   * any system.
   *
   * @param pair {@code {reader, writer}} from {@link SocketPipe}
   * @return the pipe
   */
  static Pipe overSockets(NetSocket[] pair) {
    return new Pipe(new Reader(pair[0]), new Writer(pair[1]));
  }

  /**
   * The read end.
   *
   * @return the read end; the same object each time
   */
  public Reader reader() {
    return reader;
  }

  /**
   * The write end.
   *
   * @return the write end; the same object each time
   */
  public Writer writer() {
    return writer;
  }

  /**
   * Closes both ends. Idempotent.
   *
   * @throws IOException if closing a descriptor fails (both are closed regardless)
   */
  @Override
  public void close() throws IOException {
    try {
      writer.close();
    } finally {
      reader.close();
    }
  }

  /**
   * What both ends have: an owned handle, the descriptor, closing. Package-private, so its
   * public members appear in the javadoc of {@link Reader} and {@link Writer} as their own.
   */
  abstract static class End implements Source, Closeable {
    /** The descriptor or socket, owned: closing the end closes it. */
    final SourceHandle handle;
    /** The socket on Windows (its handle is {@link #handle}), or null for a POSIX pipe end. */
    final NetSocket socket;

    End(int fd, String kind) {
      this.handle = SourceHandle.owned(fd, kind, h -> Descriptors.close((int) h));
      this.socket = null;
    }

    End(NetSocket socket) {
      this.handle = socket.handle();
      this.socket = socket;
    }

    /**
     * The descriptor of this end; on Windows its {@code SOCKET} value.
     *
     * @return the descriptor
     */
    public int fd() {
      return handle.fd();
    }

    /**
     * Whether this end is open.
     *
     * @return false once closed
     */
    public boolean isOpen() {
      return !handle.isClosed();
    }

    @Override
    public SourceHandle handle() {
      return handle;
    }

    /**
     * Ends the registration, if any, and closes this end. Idempotent.
     *
     * @throws IOException if {@code close} fails
     */
    @Override
    public void close() throws IOException {
      handle.close();
    }

    @Override
    public String toString() {
      return "Pipe." + getClass().getSimpleName() + "[" + handle + "]";
    }
  }

  /** The read end of a {@link Pipe}. */
  public static final class Reader extends End {
    private Reader(int fd) {
      super(fd, "pipe reader");
    }

    private Reader(NetSocket socket) {
      super(socket);
    }

    /**
     * Reads into {@code dst} from its position up to its limit, and advances its position.
     *
     * @param dst the buffer, heap or direct
     * @return bytes read; {@code 0} if none is available (would block) or {@code dst} has no
     *     room; {@code -1} at end of stream
     * @throws IOException if the read fails, or the end is closed ({@link
     *     java.nio.channels.ClosedChannelException})
     */
    public int read(ByteBuffer dst) throws IOException {
      if (socket != null) {
        return SocketIo.read(socket, dst, false); // calls the would-block hook itself
      }
      int n = FdIo.read(handle, dst);
      if (n == 0 && dst.hasRemaining()) {
        handle.wouldBlock(Ops.READABLE);
      }
      return n;
    }
  }

  /** The write end of a {@link Pipe}. */
  public static final class Writer extends End {
    private Writer(int fd) {
      super(fd, "pipe writer");
    }

    private Writer(NetSocket socket) {
      super(socket);
    }

    /**
     * Writes from {@code src}, from its position up to its limit, and advances its position.
     *
     * @param src the buffer, heap or direct
     * @return bytes written; {@code 0} if the pipe is full (would block) or {@code src} is empty
     * @throws IOException if the write fails (for example {@code EPIPE} when the reader is
     *     closed; on Windows the reset of the connection), or this end is closed ({@link
     *     java.nio.channels.ClosedChannelException})
     */
    public int write(ByteBuffer src) throws IOException {
      if (socket != null) {
        return SocketIo.write(socket, src); // calls the would-block hook itself
      }
      int n = FdIo.write(handle, src);
      if (n == 0 && src.hasRemaining()) {
        handle.wouldBlock(Ops.WRITABLE);
      }
      return n;
    }
  }
}
