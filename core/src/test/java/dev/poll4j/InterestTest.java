package dev.poll4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.spi.Ops;
import org.junit.jupiter.api.Test;

class InterestTest {
  @Test
  void combiningReturnsSharedConstants() {
    Interest both = Interest.READABLE.add(Interest.WRITABLE);
    assertSame(both, Interest.WRITABLE.add(Interest.READABLE));
    assertTrue(both.isReadable());
    assertTrue(both.isWritable());
    assertFalse(both.isPriority());
    assertEquals("READABLE|WRITABLE", both.toString());
  }

  @Test
  void removingEverythingLeavesNoInterest() {
    Interest both = Interest.READABLE.add(Interest.WRITABLE);
    assertSame(Interest.READABLE, both.remove(Interest.WRITABLE));
    assertNull(Interest.READABLE.remove(Interest.READABLE));
    assertSame(Interest.PRIORITY, Interest.PRIORITY.remove(Interest.READABLE));
  }

  @Test
  void ofBitsRejectsEmptyAndUnknownBits() {
    assertSame(Interest.PRIORITY, Interest.ofBits(Ops.PRIORITY));
    var empty = assertThrows(IllegalArgumentException.class, () -> Interest.ofBits(0));
    assertTrue(empty.getMessage().contains("non-empty"), empty.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Interest.ofBits(Ops.ERROR));
  }
}
