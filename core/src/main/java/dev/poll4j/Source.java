package dev.poll4j;

import dev.poll4j.spi.SourceHandle;

/**
 * Anything with an OS handle that can be registered with a {@link Registry}: {@link RawFd}, the
 * ends of a {@link Pipe}, and the sockets of {@code dev.poll4j.net}.
 *
 * <p>A source is registered with at most one {@code Poll} at a time. Wrappers implement it by
 * delegating to the source they wrap.
 */
public interface Source {
  /**
   * The handle and registration bookkeeping behind this source.
   *
   * @return the handle; the same object for the life of the source
   */
  SourceHandle handle();
}
