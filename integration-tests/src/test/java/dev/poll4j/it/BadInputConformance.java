package dev.poll4j.it;

import static dev.poll4j.it.Expect.count;
import static dev.poll4j.it.Expect.readable;
import static dev.poll4j.it.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Mode;
import dev.poll4j.NativeIOException;
import dev.poll4j.Pipe;
import dev.poll4j.Poll;
import dev.poll4j.RawFd;
import dev.poll4j.Registry;
import dev.poll4j.Waker;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Misuse and kernel refusals (peers.md 6): each fails at once with an exception whose message says
 * what was wrong, and the {@code Poll} keeps working.
 */
interface BadInputConformance extends Fixture {

  /**
   * Asserts {@code call} throws {@code type} with a message containing every one of {@code words}.
   */
  static <T extends Throwable> T fails(Class<T> type, Executable call, String... words) {
    T e = assertThrows(type, call);
    String m = String.valueOf(e.getMessage());
    for (String w : words) {
      assertTrue(m.contains(w), "message lacks '" + w + "': " + m);
    }
    return e;
  }

  // 6
  @Test
  @Timeout(10)
  default void registeringTwiceFailsAndKeepsTheFirstRegistration() throws Exception {
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE);
    fails(
        IllegalStateException.class,
        () -> registry().register(p.reader(), 2, Interest.READABLE),
        "already registered",
        "reregister");
    fails(
        IllegalStateException.class,
        () -> registry().register(p.reader(), 1, Interest.WRITABLE, Mode.LEVEL),
        "already registered");
    write(p, 1);
    List<Expect.Seen> seen = expectEvents(readable(1));
    assertEquals(0, count(seen, 2), "the failed registration's token: " + seen);
    assertPollStillWorks();
  }

  // 6: the same descriptor through a second source: the kernel (or the backend) refuses it.
  @Test
  @Timeout(10)
  default void registeringADescriptorTwiceThroughTwoSourcesFailsWithEexist() throws Exception {
    assumeRawDescriptors();
    Pipe p = pipe();
    registry().register(p.reader(), 1, Interest.READABLE);
    RawFd same = RawFd.of(p.reader().fd());
    NativeIOException e =
        fails(
            NativeIOException.class,
            () -> registry().register(same, 2, Interest.READABLE),
            "EEXIST",
            Integer.toString(p.reader().fd()));
    assertEquals("EEXIST", e.errnoName());
    assertNull(same.handle().registration(), "the refused source counts as registered");
    write(p, 1);
    List<Expect.Seen> seen = expectEvents(readable(1));
    assertEquals(0, count(seen, 2), "the refused registration's token: " + seen);
    assertPollStillWorks();
  }

  // 6
  @Test
  @Timeout(10)
  default void deregisteringOrReregisteringAnUnregisteredSourceFails() throws Exception {
    Pipe p = pipe();
    fails(IllegalStateException.class, () -> registry().deregister(p.reader()), "not registered");
    fails(
        IllegalStateException.class,
        () -> registry().reregister(p.reader(), 1, Interest.READABLE),
        "not registered");
    registry().register(p.reader(), 1, Interest.READABLE);
    registry().deregister(p.reader());
    fails(IllegalStateException.class, () -> registry().deregister(p.reader()), "not registered");
    if (caps().rawDescriptors()) { // a second source for the descriptor (none on Windows)
      RawFd raw = RawFd.of(p.writer().fd());
      fails(IllegalStateException.class, () -> registry().deregister(raw), "not registered");
    }
    assertPollStillWorks();
  }

  // 6: a source registered with one Poll is not registered with another.
  @Test
  @Timeout(10)
  default void usingAnotherPollsSourceFails() throws Exception {
    Poll other = openPoll();
    Pipe p = pipe();
    other.registry().register(p.reader(), 1, Interest.READABLE);
    fails(
        IllegalStateException.class,
        () -> registry().deregister(p.reader()),
        "not registered with this Poll");
    fails(
        IllegalStateException.class,
        () -> registry().reregister(p.reader(), 2, Interest.READABLE),
        "not registered with this Poll");
    fails(
        IllegalStateException.class,
        () -> registry().register(p.reader(), 2, Interest.READABLE),
        "already registered",
        "another Poll");
    write(p, 1);
    Expect.events(other, Events.withCapacity(4), readable(1));
    assertPollStillWorks();
  }

  // 6: a closed descriptor: EBADF from the kernel, named in the message.
  @Test
  @Timeout(10)
  default void registeringAClosedDescriptorFailsWithEbadf() throws Exception {
    assumeTrue(ProcFs.available(), "needs /proc/self/fd to check the number is unused");
    NativeIOException e = null;
    for (int attempt = 0; attempt < 3 && e == null; attempt++) {
      Pipe p = Pipe.open();
      int fd = p.reader().fd();
      p.close();
      if (ProcFs.isOpen(fd)) {
        continue; // the number was reused at once by another thread: try again
      }
      RawFd closed = RawFd.of(fd);
      e =
          fails(
              NativeIOException.class,
              () -> registry().register(closed, 1, Interest.READABLE),
              "EBADF",
              Integer.toString(fd));
    }
    assertTrue(e != null, "no unused descriptor number in 3 attempts");
    assertEquals("EBADF", e.errnoName(), e.getMessage());
    assertEquals(9, e.errno(), e.getMessage());
    assertPollStillWorks();
  }

  // 6: regular files and directories are always ready: refused with EPERM, as epoll does.
  @Test
  @Timeout(10)
  default void registeringARegularFileOrADirectoryFailsWithEperm(@TempDir Path dir)
      throws Exception {
    assumeTrue(ProcFs.available(), "needs /proc/self/fd to find a file's descriptor");
    Path file = Files.writeString(dir.resolve("plain.txt"), "hello");
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      int fd = ProcFs.fdOf(file);
      assertTrue(fd >= 0, "descriptor of " + file + " not found");
      NativeIOException e =
          fails(
              NativeIOException.class,
              () -> registry().register(RawFd.of(fd), 1, Interest.READABLE),
              "EPERM");
      assertEquals("EPERM", e.errnoName());
      assertEquals('h', in.read(), "the file is untouched by the refusal");
    }
    try (var stream = Files.newDirectoryStream(dir)) {
      int fd = ProcFs.fdOf(dir);
      assertTrue(fd >= 0, "descriptor of " + dir + " not found");
      NativeIOException e =
          fails(
              NativeIOException.class,
              () -> registry().register(RawFd.of(fd), 1, Interest.READABLE),
              "EPERM");
      assertEquals("EPERM", e.errnoName());
      assertTrue(stream.iterator().hasNext());
    }
    assertPollStillWorks();
  }

  // 6
  @Test
  @Timeout(10)
  default void registeringAClosedSourceFails() throws Exception {
    Pipe p = pipe();
    p.reader().close();
    fails(
        IllegalStateException.class,
        () -> registry().register(p.reader(), 1, Interest.READABLE),
        "closed");
    assertPollStillWorks();
  }

  // 6 (misuse): null arguments are refused, naming the parameter.
  @Test
  @Timeout(10)
  default void nullArgumentsAreRefusedByName() throws Exception {
    Pipe p = pipe();
    Registry r = registry();
    fails(NullPointerException.class, () -> r.register(p.reader(), 1, null), "interest");
    fails(NullPointerException.class, () -> r.register(null, 1, Interest.READABLE), "source");
    fails(
        NullPointerException.class,
        () -> r.register(p.reader(), 1, Interest.READABLE, null),
        "mode");
    r.register(p.reader(), 1, Interest.READABLE);
    fails(NullPointerException.class, () -> r.reregister(p.reader(), 1, null), "interest");
    fails(NullPointerException.class, () -> r.deregister(null), "source");
    fails(NullPointerException.class, () -> poll().poll(null, Duration.ZERO), "events");
    fails(NullPointerException.class, () -> Waker.create(null, 1), "registry");
    fails(NullPointerException.class, () -> Poll.open(null), "backend");
    write(p, 1);
    expectEvents(readable(1)); // the registration made between the failures works
    assertPollStillWorks();
  }

  // 6 (misuse): there is no empty interest, and no negative descriptor.
  @Test
  @Timeout(10)
  default void emptyInterestsAndNegativeDescriptorsCannotBeMade() throws Exception {
    fails(IllegalArgumentException.class, () -> Interest.ofBits(0), "non-empty");
    fails(
        IllegalArgumentException.class, () -> Interest.ofBits(0x40), "READABLE|WRITABLE|PRIORITY");
    assertNull(Interest.READABLE.remove(Interest.READABLE));
    fails(IllegalArgumentException.class, () -> RawFd.of(-1), "fd < 0");
    assertPollStillWorks();
  }

  // 6: the reserved token is refused everywhere a token is taken.
  @Test
  @Timeout(10)
  default void theReservedTokenIsRefused() throws Exception {
    Pipe p = pipe();
    long reserved = Registry.RESERVED_TOKEN;
    fails(
        IllegalArgumentException.class,
        () -> registry().register(p.reader(), reserved, Interest.READABLE),
        "reserved");
    registry().register(p.reader(), 1, Interest.READABLE);
    fails(
        IllegalArgumentException.class,
        () -> registry().reregister(p.reader(), reserved, Interest.READABLE),
        "reserved");
    fails(IllegalArgumentException.class, () -> Waker.create(registry(), reserved), "reserved");
    write(p, 1);
    List<Expect.Seen> seen = expectEvents(readable(1)); // the registration kept its token
    assertEquals(0, count(seen, reserved), seen.toString());
    Waker w = closeAfter(Waker.create(registry(), 2)); // the refused create left no waker behind
    w.wake();
    expectEvents(readable(2));
    assertPollStillWorks();
  }

  // 6: a closed Poll refuses everything, with a message saying so.
  @Test
  @Timeout(10)
  default void aClosedPollRefusesEveryOperation() throws Exception {
    Pipe p = pipe();
    Pipe q = pipe();
    registry().register(q.reader(), 1, Interest.READABLE);
    Registry r = registry();
    poll().close();
    fails(
        IllegalStateException.class, () -> r.register(p.reader(), 1, Interest.READABLE), "closed");
    fails(
        IllegalStateException.class,
        () -> r.reregister(q.reader(), 1, Interest.WRITABLE),
        "closed");
    fails(IllegalStateException.class, () -> r.deregister(q.reader()), "closed");
    fails(IllegalStateException.class, () -> Waker.create(r, 2), "closed");
    fails(IllegalStateException.class, () -> poll().poll(events(), Duration.ZERO), "closed");
    q.reader().close(); // closing a source of a closed Poll is fine
  }

  // 39: Events of capacity below one cannot be made.
  @Test
  @Timeout(10)
  default void eventsOfCapacityBelowOneAreRefused() throws Exception {
    fails(IllegalArgumentException.class, () -> Events.withCapacity(0), "capacity < 1: 0");
    fails(IllegalArgumentException.class, () -> Events.withCapacity(-5), "capacity < 1: -5");
    assertPollStillWorks();
  }

  // 6 (misuse): a negative timeout is refused, naming the value; the Poll keeps working.
  @Test
  @Timeout(10)
  default void negativeTimeoutsAreRefused() throws Exception {
    fails(
        IllegalArgumentException.class,
        () -> poll().poll(events(), Duration.ofMillis(-1)),
        "negative",
        "PT-0.001S");
    fails(
        IllegalArgumentException.class,
        () -> poll().poll(events(), Duration.ofNanos(-1)),
        "negative");
    assertPollStillWorks();
  }
}
