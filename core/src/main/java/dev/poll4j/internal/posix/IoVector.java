package dev.poll4j.internal.posix;

/**
 * The layout of one entry of a scatter/gather vector: {@code struct iovec} ({@code void
 * *iov_base; size_t iov_len;}) on POSIX, {@code WSABUF} ({@code ULONG len; CHAR *buf;}) on
 * Windows. {@link SocketIo} fills the entries through it; the OS's {@link SocketCalls} names it.
 */
public final class IoVector {
  /** {@code sizeof} one entry. */
  public final int size;
  /** Offset of the buffer's address (pointer-sized). */
  public final int baseOffset;
  /** Offset of the buffer's length. */
  public final int lengthOffset;
  /** Width of the length: pointer-sized ({@code size_t}) or 4 ({@code ULONG}). */
  public final int lengthSize;

  /**
   * Describes a layout.
   *
   * @param size {@code sizeof} one entry
   * @param baseOffset offset of the address
   * @param lengthOffset offset of the length
   * @param lengthSize width of the length, 4 or 8
   * @throws IllegalArgumentException if {@code lengthSize} is neither 4 nor 8
   */
  public IoVector(int size, int baseOffset, int lengthOffset, int lengthSize) {
    if (lengthSize != 4 && lengthSize != 8) {
      throw new IllegalArgumentException("lengthSize not 4 or 8: " + lengthSize);
    }
    this.size = size;
    this.baseOffset = baseOffset;
    this.lengthOffset = lengthOffset;
    this.lengthSize = lengthSize;
  }
}
