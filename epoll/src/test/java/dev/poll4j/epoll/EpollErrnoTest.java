package dev.poll4j.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.Interest;
import dev.poll4j.Mode;
import dev.poll4j.NativeIOException;
import dev.poll4j.Pipe;
import dev.poll4j.RawFd;
import dev.poll4j.epoll.sys.Epoll;
import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.Unistd;
import dev.poll4j.spi.Ops;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Kernel refusals become NativeIOExceptions naming the epoll_ctl operation and the errno. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "epoll exists on Linux only")
class EpollErrnoTest {
  private EpollSelector selector;

  @BeforeEach
  void open() throws IOException {
    selector = new EpollSelector(true);
  }

  @AfterEach
  void close() throws IOException {
    selector.close();
  }

  @Test
  void registeringTheSameDescriptorTwiceFailsWithEexist() throws IOException {
    try (Pipe pipe = Pipe.open()) {
      int fd = pipe.reader().fd();
      RawFd.of(fd).handle().register(selector, 1, Ops.READABLE, Mode.EDGE);
      NativeIOException e =
          assertThrows(
              NativeIOException.class,
              () -> RawFd.of(fd).handle().register(selector, 2, Ops.READABLE, Mode.EDGE));
      assertEquals("epoll_ctl(ADD)", e.call());
      assertEquals("EEXIST", e.errnoName());
      assertEquals(Errno.EEXIST, e.errno());
      assertTrue(e.getMessage().contains("already registered"), e.getMessage());
    }
  }

  @Test
  void modifyingAndDeletingADescriptorTheKernelDroppedFailWithEnoent() throws IOException {
    try (Pipe pipe = Pipe.open()) {
      int fd = pipe.reader().fd();
      RawFd raw = RawFd.of(fd);
      raw.handle().register(selector, 1, Ops.READABLE, Mode.EDGE);
      assertEquals(0, Epoll.epoll_ctl(selector.epfd(), Epoll.EPOLL_CTL_DEL, fd, 0));
      NativeIOException mod =
          assertThrows(
              NativeIOException.class,
              () -> raw.handle().reregister(selector, 1, Ops.WRITABLE, Mode.EDGE));
      assertEquals("epoll_ctl(MOD)", mod.call());
      assertEquals("ENOENT", mod.errnoName());
      assertTrue(mod.getMessage().contains("not registered"), mod.getMessage());
      NativeIOException del =
          assertThrows(NativeIOException.class, () -> raw.handle().deregister(selector));
      assertEquals("epoll_ctl(DEL)", del.call());
      assertEquals("ENOENT", del.errnoName());
    }
  }

  @Test
  void registeringARegularFileFailsWithEperm(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("plain.txt"), "not pollable");
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      int fd = Fixtures.fdOf(in, file);
      NativeIOException e =
          assertThrows(
              NativeIOException.class,
              () -> RawFd.of(fd).handle().register(selector, 1, Ops.READABLE, Mode.EDGE));
      assertEquals("epoll_ctl(ADD)", e.call());
      assertEquals("EPERM", e.errnoName());
      assertTrue(e.getMessage().contains("cannot be polled"), e.getMessage());
    }
  }

  @Test
  void registeringAClosedDescriptorFailsWithEbadf() throws IOException {
    int closed = closedDescriptor();
    NativeIOException e =
        assertThrows(
            NativeIOException.class,
            () -> RawFd.of(closed).handle().register(selector, 1, Ops.READABLE, Mode.EDGE));
    assertEquals("epoll_ctl(ADD)", e.call());
    assertEquals("EBADF", e.errnoName());
    assertTrue(e.getMessage().contains("is closed"), e.getMessage());
  }

  // A descriptor number that was open a moment ago and is closed now.
  private static int closedDescriptor() throws IOException {
    try (Pipe p = Pipe.open()) {
      int fd = Unistd.dup(p.reader().fd());
      assertTrue(fd >= 0);
      assertEquals(0, Unistd.close(fd));
      return fd;
    }
  }

  @Test
  void failedRegistrationLeavesThePollUsable() throws Exception {
    try (dev.poll4j.Poll poll = dev.poll4j.Poll.open("epoll");
        Pipe pipe = Pipe.open()) {
      int fd = pipe.reader().fd();
      poll.registry().register(RawFd.of(fd), 1, Interest.READABLE);
      assertThrows(
          NativeIOException.class,
          () -> poll.registry().register(RawFd.of(fd), 2, Interest.READABLE));
      pipe.writer().write(Fixtures.oneByte());
      dev.poll4j.Events events = dev.poll4j.Events.withCapacity(4);
      assertEquals(1, poll.poll(events, java.time.Duration.ofSeconds(5)));
      assertEquals(1, events.get(0).token());
    }
  }

  @Test
  void errorMessageFollowsTheProjectFormat() throws IOException {
    int fd = closedDescriptor();
    NativeIOException e =
        assertThrows(
            NativeIOException.class,
            () -> RawFd.of(fd).handle().register(selector, 1, Ops.READABLE, Mode.EDGE));
    assertTrue(
        e.getMessage().startsWith("epoll_ctl(ADD) failed: EBADF (Bad file descriptor)"),
        e.getMessage());
  }
}
