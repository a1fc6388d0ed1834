package dev.poll4j.spi;

import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * Registrations by key, for backends whose kernel carries a 64-bit value per event (epoll's
 * {@code data}, kqueue's {@code udata}) but which need the registration, not only the user's
 * token, to translate an event (the kernel reports hang-ups whatever the interest).
 *
 * <p>A key is {@code generation << 32 | index}: one array load per event, no hashing, no
 * allocation. A slot gets a new generation each time it is reused, so an event that was already
 * out of the kernel when its registration ended finds no registration and is dropped, even when
 * the slot now holds another one. Generations have 31 bits, so no key has the top bit set and
 * none equals {@link BackendSelector#RESERVED_TOKEN}.
 *
 * <p>Not thread-safe: the owning selector guards it with its own lock.
 *
 * @param <R> the backend's registration type
 */
public final class RegistrationTable<R extends Registration> {
  private Object[] entries = new Object[64];
  // The generation of each slot's current key; 0 when the slot is free.
  private int[] generations = new int[64];
  // Free slot indexes below `used` (a stack).
  private int[] free = new int[64];
  private int freeCount;
  private int used;
  private int nextGeneration = 1;

  /** Creates an empty table. */
  public RegistrationTable() {}

  /**
   * Reserves a slot for a registration about to be created.
   *
   * @return the key its events will carry; never negative
   */
  public long reserve() {
    int index;
    if (freeCount > 0) {
      index = free[--freeCount];
    } else {
      index = used++;
      if (index == entries.length) {
        int n = entries.length * 2;
        entries = Arrays.copyOf(entries, n);
        generations = Arrays.copyOf(generations, n);
        free = Arrays.copyOf(free, n);
      }
    }
    int generation = nextGeneration;
    nextGeneration = generation == 0x7fff_ffff ? 1 : generation + 1;
    generations[index] = generation;
    return (long) generation << 32 | index;
  }

  /**
   * Reserves a slot and stores the registration made for its key.
   *
   * @param factory makes the registration from the key its events will carry
   * @return the stored registration
   */
  public R add(LongFunction<R> factory) {
    long key = reserve();
    R r = factory.apply(key);
    put(key, r);
    return r;
  }

  /**
   * Stores the registration for a reserved key.
   *
   * @param key a key from {@link #reserve()}
   * @param r the registration
   */
  public void put(long key, R r) {
    entries[(int) key] = r;
  }

  /**
   * The registration a kernel event's key names, if it still holds that key.
   *
   * @param key the value the kernel returned
   * @return the registration, or null for a released or reused slot, or a foreign value
   */
  @SuppressWarnings("unchecked") // only R is ever stored
  public R get(long key) {
    int index = (int) key;
    if (index < 0 || index >= used || generations[index] != (int) (key >>> 32)) {
      return null;
    }
    return (R) entries[index];
  }

  /**
   * Frees a key's slot; later events carrying the key find nothing. Does nothing if the slot no
   * longer holds that key.
   *
   * @param key the key to release
   */
  public void release(long key) {
    int index = (int) key;
    if (index >= 0 && index < used && generations[index] == (int) (key >>> 32)) {
      entries[index] = null;
      generations[index] = 0;
      free[freeCount++] = index;
    }
  }

  /** Forgets every registration (the selector is closing). */
  public void clear() {
    Arrays.fill(entries, null);
    Arrays.fill(generations, 0);
    freeCount = 0;
    used = 0;
  }
}
