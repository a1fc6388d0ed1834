package dev.poll4j.containers.inside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Poll;
import dev.poll4j.Waker;
import dev.poll4j.epoll.sys.EpollPwait2;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the container's seccomp filter does to {@code epoll_pwait2}, and that the epoll backend
 * copes: it keeps using the call where the kernel answers it, and falls back to {@code epoll_wait}
 * for good where the call fails with {@code ENOSYS} or {@code EPERM}, with timed waits that still
 * never return early.
 */
public class Pwait2Check {
  /** System property: {@code works}, {@code EPERM}, {@code ENOSYS}, or {@code any}. */
  static final String PWAIT2_PROPERTY = "poll4j.expect.pwait2";

  /** System property: the {@code Seccomp:} mode of /proc/self/status (2 = filter), or unset. */
  static final String SECCOMP_PROPERTY = "poll4j.expect.seccomp";

  private static final int EPERM = 1;
  private static final int ENOSYS = 38;
  private static final Duration WAIT = Duration.ofNanos(250_000);

  /** A binding of our own, so the probe does not go through the code under test. */
  interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int epoll_create1(int flags);

    int epoll_pwait2(int epfd, Pointer events, int maxevents, Pointer timeout, Pointer sigmask);

    int close(int fd);
  }

  /**
   * The JVM arguments that set this check's expectations.
   *
   * @param pwait2 what a raw {@code epoll_pwait2} must give: works, EPERM, ENOSYS or any
   * @param seccompMode the {@code Seccomp:} mode the container must run under (2: a filter)
   * @return {@code -D} arguments
   */
  public static String[] expect(String pwait2, int seccompMode) {
    return new String[] {
      "-D" + PWAIT2_PROPERTY + "=" + pwait2, "-D" + SECCOMP_PROPERTY + "=" + seccompMode
    };
  }

  /**
   * A zero-timeout {@code epoll_pwait2} on a fresh epoll instance: works, EPERM, ENOSYS, errno N.
   */
  static String rawPwait2() {
    LibC c = LibC.INSTANCE;
    int ep = c.epoll_create1(0);
    assertTrue(ep >= 0, "epoll_create1: errno " + Native.getLastError());
    try (Memory events = new Memory(16);
        Memory timeout = new Memory(16)) {
      timeout.clear();
      int rc = c.epoll_pwait2(ep, events, 1, timeout, null);
      if (rc >= 0) {
        return "works";
      }
      int errno = Native.getLastError();
      return errno == EPERM ? "EPERM" : errno == ENOSYS ? "ENOSYS" : "errno " + errno;
    } finally {
      c.close(ep);
    }
  }

  @Test
  void theContainerRunsUnderTheExpectedSeccompFilter() throws IOException {
    String expected = System.getProperty(SECCOMP_PROPERTY);
    assumeTrue(expected != null, "no -D" + SECCOMP_PROPERTY + " for this run");
    String mode =
        Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("Seccomp:"))
            .map(l -> l.substring("Seccomp:".length()).strip())
            .findFirst()
            .orElse("(no Seccomp line)");
    assertEquals(expected, mode, "Seccomp mode in /proc/self/status");
  }

  @Test
  void epollPwait2GivesWhatTheFilterSays() {
    String raw = rawPwait2();
    System.out.println("epoll_pwait2 in this container: " + raw);
    String expected = System.getProperty(PWAIT2_PROPERTY, "any");
    if (expected.equals("any")) {
      assertTrue(List.of("works", "EPERM", "ENOSYS").contains(raw), "epoll_pwait2: " + raw);
    } else {
      assertEquals(expected, raw, "a zero-timeout epoll_pwait2");
    }
  }

  @Test
  void epollBackendUsesPwait2OnlyWhereItWorksAndNeverWakesEarly() throws Exception {
    assumeTrue(
        EpollPwait2.isBound(), "this C library has no epoll_pwait2: " + EpollPwait2.UNAVAILABILITY);
    String raw = rawPwait2();
    long[] waits = new long[40];
    try (Poll poll = Poll.open("epoll");
        Waker waker = Waker.create(poll.registry(), 7)) {
      Events events = Events.withCapacity(8);
      for (int i = 0; i < waits.length; i++) {
        long start = System.nanoTime();
        int n = poll.poll(events, WAIT);
        waits[i] = System.nanoTime() - start;
        assertEquals(0, n, "events of an empty poll: " + events);
        assertTrue(
            waits[i] >= WAIT.toNanos(), "a " + WAIT + " wait returned after " + waits[i] + " ns");
      }
      // Whichever call waits, a wake still ends it.
      waker.wake();
      assertEquals(1, poll.poll(events, Duration.ofSeconds(5)), "events after a wake");
      Event e = events.get(0);
      assertEquals(7, e.token(), "the waker's token");
    }
    Arrays.sort(waits);
    boolean usesPwait2 = pwait2StillTried();
    System.out.printf(
        "epoll_pwait2 %s; poll4j %s; %s timeouts took %d us (median), %d us (max)%n",
        raw,
        usesPwait2 ? "uses it" : "fell back to epoll_wait",
        WAIT,
        waits[waits.length / 2] / 1000,
        waits[waits.length - 1] / 1000);
    if (raw.equals("works")) {
      assertTrue(usesPwait2, "the kernel answers epoll_pwait2, yet poll4j gave it up");
    } else {
      assertFalse(usesPwait2, "epoll_pwait2 fails with " + raw + ", yet poll4j still calls it");
      // epoll_wait counts in whole milliseconds, and poll4j rounds up: no wait below 1 ms.
      assertTrue(waits[0] >= 1_000_000, "shortest fallback wait: " + waits[0] + " ns");
    }
  }

  // The epoll backend's JVM-wide switch, cleared by the first ENOSYS or EPERM; not public API,
  // so it is read reflectively (the class path leaves the package open).
  private static boolean pwait2StillTried() throws ReflectiveOperationException {
    Field f = Class.forName("dev.poll4j.epoll.EpollSelector").getDeclaredField("pwait2Works");
    f.setAccessible(true);
    return f.getBoolean(null);
  }
}
