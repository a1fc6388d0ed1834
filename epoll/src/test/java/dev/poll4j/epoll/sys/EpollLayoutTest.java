package dev.poll4j.epoll.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import dev.poll4j.internal.posix.sys.Unistd;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@code struct epoll_event} against reference/abi.md C.1, computed and live. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "the Epoll binding loads on Linux only")
class EpollLayoutTest {
  @Test
  void x86_64EventIs12BytesPackedWithDataAtOffset4() {
    assertEquals(12, Epoll.sizeofEpollEvent("x86-64"));
    assertEquals(4, Epoll.dataOffset("x86-64"));
    // The spellings os.arch uses for the same machine.
    assertEquals(12, Epoll.sizeofEpollEvent("amd64"));
    assertEquals(4, Epoll.dataOffset("x86_64"));
  }

  @Test
  void aarch64EventIs16BytesWithDataAtOffset8() {
    assertEquals(16, Epoll.sizeofEpollEvent("aarch64"));
    assertEquals(8, Epoll.dataOffset("aarch64"));
  }

  @Test
  void otherArchitecturesUseTheNaturallyAlignedLayout() {
    for (String arch : new String[] {"ppc64le", "riscv64", "s390x", "loongarch64"}) {
      assertEquals(16, Epoll.sizeofEpollEvent(arch), arch);
      assertEquals(8, Epoll.dataOffset(arch), arch);
    }
  }

  @Test
  void eventsFieldIsAtOffset0() {
    assertEquals(0, Epoll.OFFSET_EVENTS);
  }

  @Test
  void liveLayoutIsTheOneOfThisArchitecture() {
    assertEquals(Epoll.sizeofEpollEvent(Platform.ARCH), Epoll.SIZEOF_EPOLL_EVENT);
    assertEquals(Epoll.dataOffset(Platform.ARCH), Epoll.OFFSET_DATA);
    if (Platform.ARCH.equals("x86-64")) {
      assertEquals(12, Epoll.SIZEOF_EPOLL_EVENT);
    } else if (Platform.ARCH.equals("aarch64")) {
      assertEquals(16, Epoll.SIZEOF_EPOLL_EVENT);
    }
  }

  @Test
  void kernelWritesEventsAndDataAtTheComputedOffsetsAndStride() {
    // One event registered, a two-entry array filled with a marker: the kernel must write exactly
    // SIZEOF_EPOLL_EVENT bytes, with the mask at OFFSET_EVENTS and our u64 at OFFSET_DATA.
    long data = 0x1122_3344_5566_7788L;
    int stride = Epoll.SIZEOF_EPOLL_EVENT;
    int ep = Epoll.epoll_create1(Epoll.EPOLL_CLOEXEC);
    int efd = Eventfd.eventfd(1, Eventfd.EFD_CLOEXEC | Eventfd.EFD_NONBLOCK);
    assertTrue(ep >= 0 && efd >= 0);
    try (Memory ctl = new Memory(stride);
        Memory out = new Memory(2L * stride)) {
      ByteBuffer c = ctl.getByteBuffer(0, stride).order(ByteOrder.nativeOrder());
      c.putInt(Epoll.OFFSET_EVENTS, Epoll.EPOLLIN);
      c.putLong(Epoll.OFFSET_DATA, data);
      assertEquals(0, Epoll.epoll_ctl(ep, Epoll.EPOLL_CTL_ADD, efd, Pointer.nativeValue(ctl)));
      out.setMemory(0, 2L * stride, (byte) 0x5a);
      assertEquals(1, Epoll.epoll_wait(ep, Pointer.nativeValue(out), 2, 1000));
      ByteBuffer o = out.getByteBuffer(0, 2L * stride).order(ByteOrder.nativeOrder());
      assertEquals(Epoll.EPOLLIN, o.getInt(Epoll.OFFSET_EVENTS));
      assertEquals(data, o.getLong(Epoll.OFFSET_DATA));
      for (int i = stride; i < 2 * stride; i++) {
        assertEquals((byte) 0x5a, o.get(i), "byte " + i + " after the first event was written");
      }
    } finally {
      Unistd.close(efd);
      Unistd.close(ep);
    }
  }
}
