package dev.poll4j.internal.posix.sys;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Picks, once per binding interface, how poll4j reaches the C library: through the Foreign
 * Function &amp; Memory API (JDK 22+) or through JNA direct mapping (every JDK).
 *
 * <p>The FFM implementation ({@code FfmIoCalls}, for {@link IoCalls} and {@link EpollCalls}
 * alike) is compiled with release 22 into {@code META-INF/versions/22} of core's multi-release
 * jar, so a JDK older than 22, a jar built on an older JDK, or classes run from a directory
 * simply do not see it, and JNA is used. On JDK 22+ FFM is used
 * unless {@value #PROPERTY}{@code =jna} says otherwise, or linking fails (for instance when native
 * access is denied to the module); the reason is kept for {@link #reason(Class)}.
 *
 * <p>Both implementations of an interface follow the same contract, so callers never know which
 * one they have: primitive and address arguments only, and a failed call returns {@code -errno}
 * instead of {@code -1}, so that the error travels with the result and no thread-local state is
 * read afterwards.
 */
public final class NativeBinding {
  /** System property: {@code jna} to never use FFM, {@code ffm} to require it (fail if absent). */
  public static final String PROPERTY = "poll4j.binding";

  /** The name of the FFM binding, as {@link #name()} gives it. */
  public static final String FFM = "ffm";
  /** The name of the JNA binding, as {@link #name()} gives it. */
  public static final String JNA = "jna";

  private static final String REQUESTED = requested();

  // Why each interface got the binding it got.
  private static final Map<Class<?>, String> REASONS = new ConcurrentHashMap<>();

  private NativeBinding() {}

  private static String requested() {
    String v = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
    if (!v.isEmpty() && !v.equals(FFM) && !v.equals(JNA)) {
      throw new IllegalArgumentException(
          "-D" + PROPERTY + "=" + v + ": expected " + FFM + " or " + JNA);
    }
    return v;
  }

  /**
   * Picks the implementation of one binding interface.
   *
   * @param <T> the interface
   * @param lookup a lookup with full access in the module that holds both implementations
   * @param type the interface
   * @param ffmClass the binary name of the FFM implementation (a public class with a public
   *     no-argument constructor, present only in the jar's {@code META-INF/versions/22})
   * @param jna makes the JNA implementation
   * @return the FFM implementation when it can be used, else the JNA one
   * @throws IllegalStateException if {@value #PROPERTY}{@code =ffm} and FFM cannot be used
   */
  public static <T> T pick(
      MethodHandles.Lookup lookup, Class<T> type, String ffmClass, Supplier<T> jna) {
    String why;
    if (REQUESTED.equals(JNA)) {
      why = "-D" + PROPERTY + "=" + JNA;
    } else if (Runtime.version().feature() < 22) {
      why = "JDK " + Runtime.version().feature() + " has no Foreign Function & Memory API";
    } else {
      try {
        Class<?> c = lookup.findClass(ffmClass);
        MethodHandle ctor = lookup.findConstructor(c, MethodType.methodType(void.class));
        T ffm = type.cast(ctor.invoke());
        REASONS.put(type, "JDK " + Runtime.version().feature());
        return ffm;
      } catch (ClassNotFoundException e) {
        why = "this jar has no release-22 classes (it was built on a JDK older than 22)";
      } catch (Throwable e) {
        // LinkageError, IllegalCallerException (native access denied), a symbol not found, ...
        why = "FFM failed: " + e;
      }
      if (REQUESTED.equals(FFM)) {
        throw ffmRequired(type, why);
      }
    }
    REASONS.put(type, why);
    return jna.get();
  }

  private static IllegalStateException ffmRequired(Class<?> type, String why) {
    return new IllegalStateException(
        "-D" + PROPERTY + "=" + FFM + " but " + type.getSimpleName() + " cannot use it: " + why);
  }

  /**
   * Picks the implementation of {@link EpollCalls}: the FFM one is {@link IoCalls#CURRENT}
   * itself (one class holds every FFM downcall), so epoll follows whatever core's data calls
   * got, and falls back to JNA where that is not FFM or lacks epoll.
   *
   * @param jna makes the JNA implementation (poll4j-epoll's)
   * @return the FFM implementation when {@link IoCalls#CURRENT} is FFM with epoll, else the JNA
   *     one
   * @throws IllegalStateException if {@value #PROPERTY}{@code =ffm} and FFM has no epoll here
   */
  public static EpollCalls epoll(Supplier<EpollCalls> jna) {
    IoCalls io = IoCalls.CURRENT;
    String why = reason(IoCalls.class);
    if (io instanceof EpollCalls e) {
      if (e.hasEpoll()) {
        REASONS.put(EpollCalls.class, why);
        return e;
      }
      why = "the C library has no epoll_ctl/epoll_wait";
      if (REQUESTED.equals(FFM)) {
        throw ffmRequired(EpollCalls.class, why);
      }
    }
    REASONS.put(EpollCalls.class, why);
    return jna.get();
  }

  /**
   * The binding of core's data calls: {@value #FFM} or {@value #JNA}.
   *
   * @return the binding {@link IoCalls#CURRENT} uses
   */
  public static String name() {
    return IoCalls.CURRENT.binding();
  }

  /**
   * Why a binding interface got the implementation it has.
   *
   * @param type the interface, such as {@link IoCalls}
   * @return a short reason, such as {@code JDK 25} or {@code -Dpoll4j.binding=jna}; null if the
   *     interface has not picked yet
   */
  public static String reason(Class<?> type) {
    return REASONS.get(type);
  }
}
