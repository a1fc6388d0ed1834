package dev.poll4j.internal.posix.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;

/**
 * The native address of a direct {@link ByteBuffer}, without allocating.
 *
 * <p>{@code void *memset(void *s, int c, size_t n)} returns {@code s}; with {@code n == 0} it
 * writes nothing. Direct-mapped with a {@code ByteBuffer} argument, it therefore returns exactly
 * the address JNA passes for that buffer: its base address plus its position. ({@code
 * Native.getDirectBufferPointer} allocates a {@code Pointer} per call; the JDK's own accessor is
 * not exported.) Used to fill {@code iovec}s for scatter/gather I/O and to learn the address of
 * poll4j's own scratch buffers once.
 */
public final class BufferAddress {
  static {
    Native.register(BufferAddress.class, Platform.C_LIBRARY_NAME);
  }

  private BufferAddress() {}

  /**
   * The address of {@code buf}'s element at its current position.
   *
   * @param buf a direct buffer
   * @return base address plus position
   */
  public static long at(ByteBuffer buf) {
    return memset(buf, 0, 0);
  }

  // -- Native methods --

  private static native long memset(ByteBuffer s, int c, long n);
}
