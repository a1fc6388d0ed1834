package dev.poll4j.containers;

import java.time.Duration;

/** The conformance suite in Debian trixie with OpenJDK 25. */
class ConformanceTrixieJdk25IT extends ConformanceInContainer {
  ConformanceTrixieJdk25IT() {
    super("trixie-jdk25", "amd64", 25, Duration.ofMinutes(10));
  }
}
