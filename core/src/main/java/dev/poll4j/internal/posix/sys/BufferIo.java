package dev.poll4j.internal.posix.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;

/**
 * unistd.h {@code read} and {@code write} taking a direct {@link ByteBuffer}: JNA direct mapping
 * passes the buffer's address with no allocation and no copy.
 */
public final class BufferIo {
  static {
    Native.register(BufferIo.class, Platform.C_LIBRARY_NAME);
  }

  private BufferIo() {}

  // -- Native methods --

  /**
   * {@code ssize_t read(int fd, void *buf, size_t count)} into a direct buffer.
   *
   * @param fd the descriptor
   * @param buf a direct buffer; JNA passes its address (see {@code FdIo} for the position)
   * @param count bytes to read at most
   * @return bytes read, 0 at end of file, -1 on error
   */
  public static native long read(int fd, ByteBuffer buf, long count);

  /**
   * {@code ssize_t write(int fd, const void *buf, size_t count)} from a direct buffer.
   *
   * @param fd the descriptor
   * @param buf a direct buffer; JNA passes its address (see {@code FdIo} for the position)
   * @param count bytes to write
   * @return bytes written, -1 on error
   */
  public static native long write(int fd, ByteBuffer buf, long count);
}
