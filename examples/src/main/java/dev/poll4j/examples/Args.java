package dev.poll4j.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command-line options of the example programs: {@code --name value} pairs and {@code
 * --help}. Each option is taken once by name; {@link #done()} then rejects whatever is left.
 * Mistakes throw {@link UsageError}, whose message says what was wrong and ends with "(try
 * --help)".
 */
final class Args {
  private final String program;
  // The arguments not taken yet.
  private final List<String> rest;

  Args(String program, String[] args) {
    this.program = program;
    this.rest = new ArrayList<>(Arrays.asList(args));
  }

  /** Whether {@code --help} or {@code -h} was given. */
  boolean help() {
    return rest.contains("--help") || rest.contains("-h");
  }

  /** The value of {@code --name VALUE}, or {@code fallback} if the option is absent. */
  String option(String name, String fallback) {
    int i = rest.indexOf(name);
    if (i < 0) {
      return fallback;
    }
    if (i + 1 >= rest.size() || rest.get(i + 1).startsWith("--")) {
      throw new UsageError(program + ": " + name + " needs a value (try --help)");
    }
    rest.remove(i);
    return rest.remove(i);
  }

  /** The value of an integer option, checked against its range. */
  int intOption(String name, int fallback, int min, int max) {
    String v = option(name, null);
    if (v == null) {
      return fallback;
    }
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new UsageError(program + ": " + name + " needs a whole number: " + v + " (try --help)");
    }
    if (n < min || n > max) {
      throw new UsageError(
          program + ": " + name + " must be in " + min + ".." + max + ": " + n + " (try --help)");
    }
    return n;
  }

  /** The value of an option in seconds, such as {@code 5} or {@code 0.5}, checked. */
  Duration secondsOption(String name, Duration fallback, Duration min, Duration max) {
    String v = option(name, null);
    if (v == null) {
      return fallback;
    }
    Duration d;
    try {
      d = Duration.ofNanos(Math.round(Double.parseDouble(v) * 1e9));
    } catch (NumberFormatException e) {
      throw new UsageError(program + ": " + name + " needs a number of seconds: " + v
          + " (try --help)");
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new UsageError(program + ": " + name + " must be in " + seconds(min) + ".."
          + seconds(max) + " s: " + v + " (try --help)");
    }
    return d;
  }

  /** Rejects any argument no option took. */
  void done() {
    if (!rest.isEmpty()) {
      throw new UsageError(program + ": unknown argument: " + rest.get(0) + " (try --help)");
    }
  }

  private static String seconds(Duration d) {
    return d.toNanos() % 1_000_000_000 == 0 ? Long.toString(d.getSeconds())
        : Double.toString(d.toNanos() / 1e9);
  }

  /** A mistake on the command line; the programs exit with status 2 on it. */
  static final class UsageError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
      super(message);
    }
  }
}
