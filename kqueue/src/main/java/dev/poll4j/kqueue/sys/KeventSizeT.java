package dev.poll4j.kqueue.sys;

import com.sun.jna.FunctionMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.Map;

/**
 * NetBSD's {@code kevent} with {@code size_t} counts, bound to the versioned symbol of the running
 * release: {@code __kevent50} (NetBSD 10 and older, 40-byte {@code struct kevent}) or {@code
 * __kevent100} (NetBSD 11, 72 bytes). The plain {@code kevent} symbol of NetBSD is a compat entry
 * with a 32-bit {@code time_t} and must not be used.
 *
 * <pre>
 * int __kevent50(int kq, const struct kevent *changelist, size_t nchanges,
 *                struct kevent *eventlist, size_t nevents, const struct timespec *timeout);
 * </pre>
 */
public final class KeventSizeT {
  static {
    if (!Platform.isNetBSD()) {
      throw new ExceptionInInitializerError(
          "size_t kevent counts are NetBSD's; this is " + System.getProperty("os.name"));
    }
    String symbol = KeventLayout.current().symbol();
    NativeLibrary libc =
        NativeLibrary.getInstance(
            Platform.C_LIBRARY_NAME,
            Map.of(Library.OPTION_FUNCTION_MAPPER,
                (FunctionMapper) (lib, method) ->
                    method.getName().equals("kevent") ? symbol : method.getName()));
    Native.register(KeventSizeT.class, libc);
  }

  private KeventSizeT() {}

  // -- Native methods --

  /**
   * {@code __kevent50} / {@code __kevent100}: {@link Kqueue#kevent} with {@code size_t} counts.
   *
   * @param kq the kqueue descriptor
   * @param changelist address of {@code nchanges} entries, or 0
   * @param nchanges the number of changes
   * @param eventlist address of room for {@code nevents} entries, or 0
   * @param nevents the room in {@code eventlist}
   * @param timeout address of a {@code struct timespec}, or 0 to wait without limit
   * @return the number of entries stored in {@code eventlist}, or -1 on error
   */
  public static native int kevent(
      int kq, long changelist, long nchanges, long eventlist, long nevents, long timeout);
}
