package dev.poll4j.benchmarks;

import java.lang.reflect.Method;
import java.nio.channels.SelectableChannel;

/**
 * The descriptor number behind a JDK channel, so that poll4j ({@link dev.poll4j.RawFd}) and a JDK
 * {@link java.nio.channels.Selector} can watch the very same kind of descriptor.
 *
 * <p>Uses {@code sun.nio.ch.SelChImpl.getFDVal()}, which every selectable channel of the JDK
 * implements; the forked benchmark JVMs get {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}.
 */
final class JdkFds {
  /** The JVM flag the benchmarks that use this class add to their forks. */
  static final String ADD_OPENS = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";

  private JdkFds() {}

  /**
   * Returns the descriptor of a JDK channel.
   *
   * @param channel a channel of the JDK's default provider
   * @return its descriptor
   * @throws IllegalStateException if the JDK does not open {@code sun.nio.ch} to this class
   */
  static int fd(SelectableChannel channel) {
    try {
      Method getFdVal = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
      return (Integer) getFdVal.invoke(channel);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot read the descriptor of " + channel + "; run with " + ADD_OPENS, e);
    }
  }
}
