package dev.poll4j.kqueue.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Every struct kevent variant and its constants against reference/abi.md B.1 and B.2. */
class KeventLayoutTest {
  // {size, filter, filterWidth, flags, flagsWidth, fflags, data, udata, ext}
  private static void check(KeventLayout l, int... v) {
    assertEquals(v[0], l.size(), l + " size");
    assertEquals(0, l.offsetIdent(), l + " ident");
    assertEquals(v[1], l.offsetFilter(), l + " filter");
    assertEquals(v[2], l.filterWidth(), l + " filter width");
    assertEquals(v[3], l.offsetFlags(), l + " flags");
    assertEquals(v[4], l.flagsWidth(), l + " flags width");
    assertEquals(v[5], l.offsetFflags(), l + " fflags");
    assertEquals(v[6], l.offsetData(), l + " data");
    assertEquals(v[7], l.offsetUdata(), l + " udata");
    assertEquals(v[8], l.offsetExt(), l + " ext");
    int end = l.offsetExt() != 0 ? l.offsetExt() + 32 : l.offsetUdata() + 8;
    assertEquals(l.size(), end, l + ": the last field ends the struct");
  }

  @Test
  void macosIs32Bytes() {
    check(KeventLayout.MACOS, 32, 8, 2, 10, 2, 12, 16, 24, 0);
    assertEquals("kevent", KeventLayout.MACOS.symbol());
    assertFalse(KeventLayout.MACOS.sizeTCounts());
  }

  @Test
  void freebsd12PlusIs64BytesWithExt() {
    check(KeventLayout.FREEBSD, 64, 8, 2, 10, 2, 12, 16, 24, 32);
    check(KeventLayout.FREEBSD_11, 32, 8, 2, 10, 2, 12, 16, 24, 0);
    assertEquals("kevent", KeventLayout.FREEBSD.symbol());
  }

  @Test
  void openbsdIs32Bytes() {
    check(KeventLayout.OPENBSD, 32, 8, 2, 10, 2, 12, 16, 24, 0);
  }

  @Test
  void netbsdHas32BitFilterAndFlagsAndSizeTCounts() {
    check(KeventLayout.NETBSD_10, 40, 8, 4, 12, 4, 16, 24, 32, 0);
    check(KeventLayout.NETBSD_11, 72, 8, 4, 12, 4, 16, 24, 32, 40);
    assertEquals("__kevent50", KeventLayout.NETBSD_10.symbol());
    assertEquals("__kevent100", KeventLayout.NETBSD_11.symbol());
    assertTrue(KeventLayout.NETBSD_10.sizeTCounts());
    assertTrue(KeventLayout.NETBSD_11.sizeTCounts());
  }

  @Test
  void filterNumbersPerOs() {
    for (KeventLayout l : KeventLayout.ALL) {
      boolean netbsd = l.os() == KeventLayout.Os.NETBSD;
      assertEquals(netbsd ? 0 : -1, l.evfiltRead(), l.toString());
      assertEquals(netbsd ? 1 : -2, l.evfiltWrite(), l.toString());
    }
    assertEquals(-10, KeventLayout.MACOS.evfiltUser());
    assertEquals(-11, KeventLayout.FREEBSD.evfiltUser());
    assertEquals(-10, KeventLayout.OPENBSD.evfiltUser());
    assertEquals(8, KeventLayout.NETBSD_10.evfiltUser());
    assertEquals(0xF800, KeventLayout.OPENBSD.evSysflags());
    assertEquals(0xF000, KeventLayout.MACOS.evSysflags());
    assertEquals(0xF000, KeventLayout.FREEBSD.evSysflags());
    assertEquals(0xF000, KeventLayout.NETBSD_10.evSysflags());
  }

  @Test
  void platformSelectionIsAPureFunctionOfOsVersionAndArch() {
    assertSame(KeventLayout.MACOS, KeventLayout.forPlatform("Mac OS X", "14.5", "aarch64"));
    assertSame(KeventLayout.MACOS, KeventLayout.forPlatform("Mac OS X", "10.11", "x86_64"));
    assertSame(KeventLayout.FREEBSD, KeventLayout.forPlatform("FreeBSD", "14.1-RELEASE", "amd64"));
    assertSame(KeventLayout.FREEBSD, KeventLayout.forPlatform("FreeBSD", "12.0", "aarch64"));
    assertThrows(UnsupportedOperationException.class,
        () -> KeventLayout.forPlatform("FreeBSD", "11.4", "amd64"));
    assertEquals(40, KeventLayout.forPlatform("NetBSD", "10.0", "amd64").size());
    assertEquals(72, KeventLayout.forPlatform("NetBSD", "11.0", "amd64").size());
    assertEquals(32, KeventLayout.forPlatform("OpenBSD", "7.8", "amd64").size());
  }

  @Test
  void evfiltUserExistsOnMacosFreebsdNetbsd10AndOpenbsd78() {
    assertTrue(KeventLayout.forPlatform("Mac OS X", "10.9", "x86_64").hasUserFilter());
    assertTrue(KeventLayout.forPlatform("FreeBSD", "13.2", "amd64").hasUserFilter());
    assertFalse(KeventLayout.forPlatform("NetBSD", "9.3", "amd64").hasUserFilter());
    assertTrue(KeventLayout.forPlatform("NetBSD", "10.0", "amd64").hasUserFilter());
    assertTrue(KeventLayout.forPlatform("NetBSD", "11.0", "amd64").hasUserFilter());
    assertFalse(KeventLayout.forPlatform("OpenBSD", "7.7", "amd64").hasUserFilter());
    assertTrue(KeventLayout.forPlatform("OpenBSD", "7.8", "amd64").hasUserFilter());
    assertTrue(KeventLayout.forPlatform("OpenBSD", "8.0", "aarch64").hasUserFilter());
    assertEquals(-10, KeventLayout.forPlatform("OpenBSD", "7.8", "amd64").evfiltUser());
  }

  @Test
  void linuxWindowsAnd32BitAreRefusedWithTheReason() {
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> KeventLayout.forPlatform("Linux", "6.1", "amd64"));
    assertEquals("kqueue is only available on macOS and the BSDs (this is Linux)", e.getMessage());
    assertThrows(UnsupportedOperationException.class,
        () -> KeventLayout.forPlatform("Windows 11", "10.0", "amd64"));
    assertThrows(UnsupportedOperationException.class,
        () -> KeventLayout.forPlatform("FreeBSD", "14.0", "i386"));
  }

  @Test
  void entriesRoundTripAtTheirOffsetsWithSignAndZeroExtension() {
    for (KeventLayout l : KeventLayout.ALL) {
      ByteBuffer b = ByteBuffer.allocate(3 * l.size()).order(ByteOrder.nativeOrder());
      for (int i = 0; i < b.capacity(); i++) {
        b.put(i, (byte) 0x5a);
      }
      l.put(b, 1, 1234, l.evfiltWrite(), 0xC071, 0x01000000, -7, Long.MIN_VALUE + 3);
      assertEquals(1234, l.ident(b, 1), l.toString());
      assertEquals(l.evfiltWrite(), l.filter(b, 1), l.toString());
      assertEquals(0xC071, l.flags(b, 1), l.toString());
      assertEquals(0x01000000, l.fflags(b, 1), l.toString());
      assertEquals(-7, l.data(b, 1), l.toString());
      assertEquals(Long.MIN_VALUE + 3, l.udata(b, 1), l.toString());
      assertEquals(0x5a, b.get(0) & 0xff, "entry 0 untouched");
      assertEquals(0x5a, b.get(2 * l.size()) & 0xff, "entry 2 untouched");
      if (l.offsetExt() != 0) {
        assertEquals(0, b.getLong(l.size() + l.offsetExt() + 24), "ext zeroed");
      }
      int flagsOffset = l.size() + l.offsetFlags();
      if (l.flagsWidth() == 2) {
        assertEquals((short) 0xC071, b.getShort(flagsOffset));
      } else {
        assertEquals(0xC071, b.getInt(flagsOffset));
      }
    }
  }

  @Test
  void sharedFlagAndNoteValues() {
    assertEquals(0x1, Kqueue.EV_ADD);
    assertEquals(0x2, Kqueue.EV_DELETE);
    assertEquals(0x4, Kqueue.EV_ENABLE);
    assertEquals(0x8, Kqueue.EV_DISABLE);
    assertEquals(0x10, Kqueue.EV_ONESHOT);
    assertEquals(0x20, Kqueue.EV_CLEAR);
    assertEquals(0x40, Kqueue.EV_RECEIPT);
    assertEquals(0x80, Kqueue.EV_DISPATCH);
    assertEquals(0x4000, Kqueue.EV_ERROR);
    assertEquals(0x8000, Kqueue.EV_EOF);
    assertEquals(0x01000000, Kqueue.NOTE_TRIGGER);
    assertEquals(0, Kqueue.NOTE_FFNOP);
    assertEquals(0x40000000, Kqueue.NOTE_FFAND);
    assertEquals(0x80000000, Kqueue.NOTE_FFOR);
    assertEquals(0xC0000000, Kqueue.NOTE_FFCOPY);
    assertEquals(0xC0000000, Kqueue.NOTE_FFCTRLMASK);
    assertEquals(0x00FFFFFF, Kqueue.NOTE_FFLAGSMASK);
    assertEquals(16, Kqueue.SIZEOF_TIMESPEC);
    assertEquals(8, Kqueue.OFFSET_TV_NSEC);
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, disabledReason = "checks the refusal on a system without kqueue")
  void bindingsRefuseLinux() {
    // Only the compile-time constants above are usable here; the class initialiser refuses.
    Throwable t = assertThrows(Throwable.class, () -> Class.forName(Kqueue.class.getName(), true,
        Kqueue.class.getClassLoader()));
    assertTrue(t instanceof ExceptionInInitializerError, t.toString());
  }
}
