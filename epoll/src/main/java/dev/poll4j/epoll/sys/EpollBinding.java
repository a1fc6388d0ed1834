package dev.poll4j.epoll.sys;

import dev.poll4j.internal.posix.sys.EpollCalls;
import dev.poll4j.internal.posix.sys.NativeBinding;

/**
 * The {@link EpollCalls} of this JVM: core's FFM binding on JDK 22+ (when core's data calls use
 * it), else {@link JnaEpollCalls}, through the natives of {@link Epoll} and {@link EpollPwait2}.
 */
public final class EpollBinding {
  /** The implementation for this JVM. */
  public static final EpollCalls CURRENT = NativeBinding.epoll(JnaEpollCalls::new);

  private EpollBinding() {}
}
