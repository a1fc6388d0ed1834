package dev.poll4j.containers;

import java.time.Duration;

/**
 * The conformance suite in Debian bookworm arm64 with OpenJDK 17.
 *
 * <p>arm64 under qemu user mode (the host's binfmt_misc handler): the only run in which {@code
 * struct epoll_event} is 16 bytes with the data at offset 8 rather than 12 and 4, so the only one
 * that proves the layout code. qemu also answers {@code epoll_pwait2} with {@code ENOSYS}, so this
 * run takes the {@code epoll_wait} fallback throughout.
 */
class ConformanceBookwormArm64Jdk17IT extends ConformanceInContainer {
  ConformanceBookwormArm64Jdk17IT() {
    super("bookworm-arm64-jdk17", "aarch64", 17, Duration.ofMinutes(20));
  }
}
