package dev.poll4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.Mode;
import org.junit.jupiter.api.Test;

class RegistrationTableTest {
  private static Registration reg(long token) {
    return new Registration(null, SourceHandle.borrowed(3, "fd"), token, Ops.READABLE, Mode.EDGE);
  }

  @Test
  void aReleasedKeyFindsNothingEvenAfterItsSlotIsReused() {
    RegistrationTable<Registration> table = new RegistrationTable<>();
    long first = table.reserve();
    Registration a = reg(1);
    table.put(first, a);
    assertSame(a, table.get(first));
    table.release(first);
    assertNull(table.get(first), "a released key");
    long second = table.reserve();
    assertEquals((int) first, (int) second, "the slot is reused");
    assertNotEquals(first, second, "with a new generation");
    Registration b = reg(2);
    table.put(second, b);
    assertNull(table.get(first), "a stale event for the old registration is dropped");
    assertSame(b, table.get(second));
    table.release(first); // stale release: must not free b's slot
    assertSame(b, table.get(second));
  }

  @Test
  void keysAreNeverNegativeSoNeverTheReservedToken() {
    RegistrationTable<Registration> table = new RegistrationTable<>();
    for (int i = 0; i < 10_000; i++) {
      long key = table.reserve();
      assertTrue(key >= 0, "key " + key);
      table.put(key, reg(i));
      if (i % 3 == 0) {
        table.release(key);
      }
    }
    assertNull(table.get(BackendSelector.RESERVED_TOKEN));
    assertNull(table.get(-1L));
    table.clear();
    assertNull(table.get(1L << 32));
  }
}
