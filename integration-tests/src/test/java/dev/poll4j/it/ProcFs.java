package dev.poll4j.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

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
}
