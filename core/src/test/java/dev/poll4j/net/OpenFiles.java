package dev.poll4j.net;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The descriptors this process has open, from {@code /proc/self/fd} (Linux). */
final class OpenFiles {
  private static final Path DIR = Path.of("/proc/self/fd");

  private OpenFiles() {}

  /** Whether {@code /proc/self/fd} can be read here. */
  static boolean available() {
    return Files.isDirectory(DIR);
  }

  /**
   * Each open descriptor and what it is (its link target, such as {@code socket:[4711]} or
   * {@code pipe:[42]}), leaving out the descriptor the listing itself used.
   */
  static SortedMap<Integer, String> snapshot() throws IOException {
    SortedMap<Integer, String> open = new TreeMap<>();
    String self = "/proc/" + ProcessHandle.current().pid() + "/fd";
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(DIR)) {
      for (Path entry : entries) {
        String target;
        try {
          target = Files.readSymbolicLink(entry).toString();
        } catch (NoSuchFileException closedMeanwhile) {
          continue;
        }
        if (!target.equals(self)) {
          open.put(Integer.parseInt(entry.getFileName().toString()), target);
        }
      }
    }
    return open;
  }

  /** The descriptors in {@code after} that are not in {@code before}, or are something else now. */
  static SortedMap<Integer, String> added(
      Map<Integer, String> before, Map<Integer, String> after) {
    SortedMap<Integer, String> added = new TreeMap<>();
    after.forEach(
        (fd, target) -> {
          if (!target.equals(before.get(fd))) {
            added.put(fd, target);
          }
        });
    return added;
  }
}
