package dev.poll4j.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What Linux's {@code /proc} tells about this process: its open descriptors, whether a thread is
 * asleep in the kernel, and how often the current thread gave up the CPU.
 */
final class ProcFs {
  private static final Path FD = Path.of("/proc/self/fd");
  private static final Path TASKS = Path.of("/proc/self/task");

  private ProcFs() {}

  static boolean available() {
    return Files.isDirectory(FD) && Files.isDirectory(TASKS);
  }

  /**
   * The open descriptors and what they point to.
   *
   * @return descriptor number to link target, sorted
   */
  static TreeMap<Integer, String> openFds() {
    TreeMap<Integer, String> out = new TreeMap<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(FD)) {
      for (Path p : dir) {
        String target;
        try {
          target = Files.readSymbolicLink(p).toString();
        } catch (IOException gone) {
          continue; // the descriptor of this very listing, or one closed meanwhile
        }
        out.put(Integer.parseInt(p.getFileName().toString()), target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * Whether {@code fd} is open in this process.
   *
   * @return true if {@code /proc/self/fd/<fd>} exists
   */
  static boolean isOpen(int fd) {
    return Files.exists(FD.resolve(Integer.toString(fd)), java.nio.file.LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * The descriptor of this process that refers to {@code file}.
   *
   * @return the lowest such descriptor, or -1
   */
  static int fdOf(Path file) throws IOException {
    String want = file.toRealPath().toString();
    for (var e : openFds().entrySet()) {
      if (e.getValue().equals(want)) {
        return e.getKey();
      }
    }
    return -1;
  }

  /**
   * The native ids of the threads whose name is {@code name} (as the kernel keeps it: at most 15
   * characters).
   */
  static List<String> tids(String name) {
    String comm = name.length() > 15 ? name.substring(0, 15) : name;
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(TASKS)) {
      for (Path t : dir) {
        try {
          if (Files.readString(t.resolve("comm")).strip().equals(comm)) {
            out.add(t.getFileName().toString());
          }
        } catch (IOException gone) {
          // the thread ended
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The scheduler state of a thread: {@code R} running, {@code S} asleep in the kernel, ...
   *
   * @return the state letter, or '?' if the thread is gone
   */
  static char state(String tid) {
    try {
      String stat = Files.readString(TASKS.resolve(tid).resolve("stat"));
      // "tid (comm) S ...": comm may contain spaces and parentheses, the state follows the
      // last ')'.
      return stat.charAt(stat.lastIndexOf(')') + 2);
    } catch (IOException e) {
      return '?';
    }
  }

  /**
   * Waits until {@code thread} (uniquely named) sleeps in the kernel, for example in the poll call
   * the test started it for, then a little more. Fails if it stays awake (spins) for 5 s while
   * alive. Falls back to a plain sleep where /proc cannot tell.
   */
  static void awaitAsleep(Thread thread) throws InterruptedException {
    List<String> tids = available() ? tids(thread.getName()) : List.of();
    if (tids.size() != 1) {
      Thread.sleep(150);
      return;
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    int asleep = 0;
    // Two observations 5 ms apart, to skip a short sleep on a lock on the way into the call.
    while (asleep < 2 && thread.isAlive()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(thread.getName() + " never slept in the kernel within 5 s");
      }
      asleep = state(tids.get(0)) == 'S' ? asleep + 1 : 0;
      Thread.sleep(5);
    }
    Thread.sleep(10);
  }

  /**
   * How often the current thread gave up the CPU voluntarily (slept in the kernel) so far.
   *
   * @return the count, or -1 where /proc cannot tell
   */
  static long voluntarySwitches() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
        if (line.startsWith("voluntary_ctxt_switches:")) {
          return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or no /proc
    }
    return -1;
  }

  /**
   * Asserts the process has the descriptors it had before. Other threads of the JVM may open or
   * close a descriptor meanwhile, so a difference is read again after a pause (up to 3 times,
   * without a GC, which could close leaked descriptors through cleaners): a leak stays.
   *
   * @param before {@link #openFds()} at the start
   */
  static void assertSameDescriptors(TreeMap<Integer, String> before) throws InterruptedException {
    assertSame(before, ProcFs::openFds, true);
  }

  /**
   * Asserts that every descriptor of {@link #openKernelObjects()} open now was open before (read
   * again after pauses, as {@link #assertSameDescriptors}). Descriptors closed meanwhile are not
   * counted: other test classes of the JVM may close theirs late.
   *
   * @param before {@link #openKernelObjects()} at the start
   */
  static void assertNoKernelObjectLeaked(TreeMap<Integer, String> before)
      throws InterruptedException {
    assertSame(before, ProcFs::openKernelObjects, false);
  }

  private static void assertSame(
      TreeMap<Integer, String> before, Supplier<TreeMap<Integer, String>> now, boolean lostToo)
      throws InterruptedException {
    TreeMap<Integer, String> leaked = new TreeMap<>();
    TreeMap<Integer, String> lost = new TreeMap<>();
    for (int attempt = 0; attempt < 4; attempt++) {
      if (attempt > 0) {
        Thread.sleep(200);
      }
      TreeMap<Integer, String> after = now.get();
      leaked = new TreeMap<>(after);
      if (lostToo) {
        leaked.keySet().removeAll(before.keySet());
      } else {
        leaked.entrySet().removeAll(before.entrySet()); // a reused number is a new descriptor
      }
      lost = new TreeMap<>(before);
      lost.keySet().removeAll(after.keySet());
      // Files are the JVM's (it opens and closes cgroup and /proc files by itself, and jars as
      // classes load); poll4j opens none, so only pipes, sockets and anon inodes count here.
      lost.values().removeIf(ProcFs::isJvmFile);
      leaked.values().removeIf(ProcFs::isJvmFile);
      if (!lostToo) {
        lost.clear();
      }
      if (leaked.isEmpty() && lost.isEmpty()) {
        return;
      }
    }
    throw new AssertionError(
        "descriptors leaked: "
            + summary(leaked)
            + "; closed that were open before: "
            + summary(lost));
  }

  private static boolean isJvmFile(String target) {
    return target.startsWith("/sys/")
        || target.startsWith("/proc/")
        || target.endsWith(".jar")
        || target.endsWith(".so")
        || target.contains(".so.");
  }

  /**
   * The descriptors of this process that poll4j and these tests make: pipes, {@code anon_inode}s
   * (epoll, eventfd) and {@link #openNonBlockingSockets() non-blocking sockets}. Files (the JVM's
   * jars and libraries, opened as classes load) and process-wide blocking sockets are left out.
   *
   * @return descriptor number to link target, sorted
   */
  static TreeMap<Integer, String> openKernelObjects() {
    TreeMap<Integer, String> out = openFds();
    out.entrySet()
        .removeIf(
            e ->
                e.getValue().startsWith("/")
                    || (e.getValue().startsWith("socket:") && !isNonBlocking(e.getKey())));
    return out;
  }

  /**
   * The non-blocking socket descriptors of this process: those poll4j's sockets can be, since it
   * makes every socket non-blocking from creation. The process-wide blocking sockets others keep
   * open for good are left out: the JDK's pre-close socket (one end of a socket pair, made when
   * NIO's file dispatcher is first used) and core's spare descriptor for accepting at the
   * open-files limit (made by the first listener).
   *
   * @return descriptor number to link target ({@code socket:[inode]}), sorted
   */
  static TreeMap<Integer, String> openNonBlockingSockets() {
    TreeMap<Integer, String> out = openFds();
    out.entrySet().removeIf(e -> !e.getValue().startsWith("socket:") || !isNonBlocking(e.getKey()));
    return out;
  }

  /** {@code O_NONBLOCK} of asm-generic (x86, arm, riscv, ...), as {@code fdinfo} shows it. */
  private static final int O_NONBLOCK = 04000;

  // From the octal "flags:" line of /proc/self/fdinfo/<fd>; false once the descriptor is gone.
  private static boolean isNonBlocking(int fd) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", Integer.toString(fd)))) {
        if (line.startsWith("flags:")) {
          return (Integer.parseInt(line.substring(6).strip(), 8) & O_NONBLOCK) != 0;
        }
      }
    } catch (IOException | RuntimeException gone) {
      // closed meanwhile
    }
    return false;
  }

  static String summary(Map<Integer, String> fds) {
    return fds.size() <= 10
        ? fds.toString()
        : fds.size() + " like " + fds.entrySet().iterator().next();
  }

  /**
   * What the kernel says about a socket descriptor's link target ({@code socket:[inode]}): the
   * {@code /proc/net} table and line that holds its inode, for messages about leaked sockets.
   *
   * @return the table and line, or the target itself when no table holds it
   */
  static String describeSocket(String target) {
    if (!target.startsWith("socket:[")) {
      return target;
    }
    String inode = target.substring("socket:[".length(), target.length() - 1);
    for (String table :
        new String[] {"tcp", "tcp6", "udp", "udp6", "unix", "netlink", "raw", "raw6", "packet"}) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/net", table))) {
          for (String field : line.trim().split("\\s+")) {
            if (field.equals(inode)) {
              return target + " in /proc/net/" + table + ": " + line.trim();
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // no such table here
      }
    }
    return target;
  }
}
