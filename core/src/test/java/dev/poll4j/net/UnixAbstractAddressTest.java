package dev.poll4j.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UnixAbstractAddressTest {
  @Test
  void namesCompareByBytesAndAreCopied() {
    byte[] raw = {'a', 0, 'b'};
    UnixAbstractAddress a = UnixAbstractAddress.of(raw);
    raw[0] = 'z';
    assertArrayEquals(new byte[] {'a', 0, 'b'}, a.name(), "copied on the way in");
    a.name()[0] = 'y';
    assertArrayEquals(new byte[] {'a', 0, 'b'}, a.name(), "copied on the way out");
    assertEquals(UnixAbstractAddress.of(new byte[] {'a', 0, 'b'}), a);
    assertEquals(UnixAbstractAddress.of(new byte[] {'a', 0, 'b'}).hashCode(), a.hashCode());
    assertNotEquals(UnixAbstractAddress.of("a"), a);
    assertEquals("@a@b", a.toString());
    assertArrayEquals("grüß".getBytes(StandardCharsets.UTF_8), UnixAbstractAddress.of("grüß").name());
  }

  @Test
  void lengthIsOneTo107Bytes() {
    assertEquals(107, UnixAbstractAddress.of("n".repeat(107)).name().length);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> UnixAbstractAddress.of("n".repeat(108)));
    assertEquals("abstract name length not in [1, 107]: 108", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> UnixAbstractAddress.of(""));
    assertThrows(IllegalArgumentException.class, () -> UnixAbstractAddress.of(new byte[0]));
  }
}
