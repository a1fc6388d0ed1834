package dev.poll4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.poll4j.Poll;
import dev.poll4j.epoll.sys.EpollBinding;
import dev.poll4j.internal.posix.sys.EpollCalls;
import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.IoCalls;
import dev.poll4j.internal.posix.sys.NativeBinding;
import dev.poll4j.internal.posix.sys.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Which native binding the suite runs on, and that its error path gives {@code -errno}. The
 * suite runs from the modules' jars, so on JDK 22+ the multi-release FFM classes are in use when
 * the jars carry them, unless {@code -Dpoll4j.binding=jna}. This module's build (on JDK 22+)
 * says with {@value #EXPECT_PROPERTY}{@code =ffm} that its jars must carry them, and runs the
 * conformance suite a second time with {@code -Dpoll4j.binding=jna}, so both bindings pass all of
 * it. Elsewhere (the container runs, which take the jars of whatever JDK built them) FFM is
 * expected exactly when the jar carries its classes.
 */
@EnabledOnOs(OS.LINUX)
class NativeBindingTest {
  /** System property: the binding the build's own jars must give on JDK 22+. */
  static final String EXPECT_PROPERTY = "poll4j.test.expectBinding";

  private static final String EXPECTED = expected();

  private static String expected() {
    if (NativeBinding.JNA.equals(System.getProperty(NativeBinding.PROPERTY))
        || Runtime.version().feature() < 22) {
      return NativeBinding.JNA;
    }
    String build = System.getProperty(EXPECT_PROPERTY);
    if (build != null) {
      return build;
    }
    boolean jarHasFfm =
        IoCalls.class
                .getClassLoader()
                .getResource("META-INF/versions/22/dev/poll4j/internal/posix/sys/FfmIoCalls.class")
            != null;
    return jarHasFfm ? NativeBinding.FFM : NativeBinding.JNA;
  }

  @Test
  void coreAndEpollUseTheBindingThisJvmAndPropertyCallFor() {
    assertEquals(EXPECTED, Poll.nativeBinding(), NativeBinding.reason(IoCalls.class));
    assertEquals(EXPECTED, IoCalls.CURRENT.binding());
    assertEquals(EXPECTED, EpollBinding.CURRENT.binding(), NativeBinding.reason(EpollCalls.class));
  }

  @Test
  void failedCallsReturnMinusErrno() {
    // Valid structs throughout: under qemu user mode (the arm64 container run) the emulator reads
    // a call's structs before the kernel sees the bad descriptor, and answers a msghdr without
    // iovecs itself, with 0. So the msghdr at 0 has one 8-byte iovec (at 128, pointing at 192).
    try (Memory m = new Memory(256)) {
      m.clear();
      long address = Pointer.nativeValue(m);
      m.setLong(Socket.OFFSET_MSG_IOV, address + 128);
      m.setLong(Socket.OFFSET_MSG_IOVLEN, 1);
      m.setLong(128 + Socket.OFFSET_IOV_BASE, address + 192);
      m.setLong(128 + Socket.OFFSET_IOV_LEN, 8);
      assertEquals(-Errno.EBADF, IoCalls.CURRENT.read(-1, address, 8));
      assertEquals(-Errno.EBADF, IoCalls.CURRENT.write(-1, address, 8));
      assertEquals(-Errno.EBADF, IoCalls.CURRENT.recv(-1, address, 8, 0));
      assertEquals(-Errno.EBADF, IoCalls.CURRENT.send(-1, address, 8, 0));
      assertEquals(-Errno.EBADF, IoCalls.CURRENT.recvfrom(-1, address, 8, 0, 0, 0));
      assertEquals(-Errno.EBADF, IoCalls.CURRENT.sendto(-1, address, 8, 0, 0, 0));
      assertEquals(-Errno.EBADF, IoCalls.CURRENT.recvmsg(-1, address, 0));
      assertEquals(-Errno.EBADF, IoCalls.CURRENT.sendmsg(-1, address, 0));
      // More entries than RLIMIT_NOFILE allows: EINVAL before the kernel reads the array.
      assertEquals(-Errno.EINVAL, IoCalls.CURRENT.poll(address, 1L << 30, 0), "nfds over the limit");
      assertEquals(-Errno.EBADF, EpollBinding.CURRENT.epollCtl(-1, 1, 0, address));
      assertEquals(-Errno.EBADF, EpollBinding.CURRENT.epollWait(-1, address, 1, 0));
      if (EpollBinding.CURRENT.hasPwait2()) {
        assertTrue(EpollBinding.CURRENT.epollPwait2(-1, address, 1, 0) < 0);
      }
      assertEquals(0, IoCalls.CURRENT.poll(0, 0, 0), "poll of no descriptors");
    }
  }
}
