package dev.poll4j.containers;

import java.time.Duration;

/** The conformance suite in Debian trixie with OpenJDK 21. */
class ConformanceTrixieJdk21IT extends ConformanceInContainer {
  ConformanceTrixieJdk21IT() {
    super("trixie-jdk21", "amd64", 21, Duration.ofMinutes(10));
  }
}
