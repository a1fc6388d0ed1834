package dev.poll4j.containers;

import java.time.Duration;

/** The conformance suite in Debian bookworm with OpenJDK 17. */
class ConformanceBookwormJdk17IT extends ConformanceInContainer {
  ConformanceBookwormJdk17IT() {
    super("bookworm-jdk17", "amd64", 17, Duration.ofMinutes(10));
  }
}
