package dev.poll4j;

import dev.poll4j.spi.EventBuffer;
import dev.poll4j.spi.Ops;

/**
 * One readiness event: a token and what is ready.
 *
 * <p>An {@code Event} is a reused view into an {@link Events}: it is valid until the next {@code
 * poll} into the same {@code Events}, and must not be kept. Copy {@link #token()} and {@link
 * #readyBits()} if they are needed later.
 *
 * <p>Events may be spurious: a readable event does not promise that a read will not block.
 * Closed and error bits are best effort, but never reported when the condition does not hold.
 */
public final class Event {
  private final EventBuffer buffer;
  private int index;

  Event(EventBuffer buffer) {
    this.buffer = buffer;
  }

  Event at(int i) {
    this.index = i;
    return this;
  }

  /**
   * The token the source was registered with.
   *
   * @return the token
   */
  public long token() {
    return buffer.token(index);
  }

  /**
   * The readiness as {@link Ops} bits.
   *
   * @return the bits
   */
  public int readyBits() {
    return buffer.ready(index);
  }

  /**
   * Readable: data, a connection to accept, end of stream, or an error to collect by reading.
   *
   * @return true if readable
   */
  public boolean isReadable() {
    return (readyBits() & Ops.READABLE) != 0;
  }

  /**
   * Writable: room to write, or a finished (possibly failed) connect.
   *
   * @return true if writable
   */
  public boolean isWritable() {
    return (readyBits() & Ops.WRITABLE) != 0;
  }

  /**
   * An error is pending on the source (for sockets: collect it with {@code takeError}).
   *
   * @return true if an error is pending
   */
  public boolean isError() {
    return (readyBits() & Ops.ERROR) != 0;
  }

  /**
   * The read half is closed: the peer shut down writing or hung up.
   *
   * @return true if the read half is closed
   */
  public boolean isReadClosed() {
    return (readyBits() & Ops.READ_CLOSED) != 0;
  }

  /**
   * The write half is closed: the peer is gone or hung up.
   *
   * @return true if the write half is closed
   */
  public boolean isWriteClosed() {
    return (readyBits() & Ops.WRITE_CLOSED) != 0;
  }

  /**
   * Priority (out-of-band) data is available.
   *
   * @return true if priority data is ready
   */
  public boolean isPriority() {
    return (readyBits() & Ops.PRIORITY) != 0;
  }

  @Override
  public String toString() {
    return "Event[token=" + token() + ", " + Ops.toString(readyBits()) + "]";
  }
}
