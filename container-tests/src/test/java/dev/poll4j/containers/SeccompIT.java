package dev.poll4j.containers;

import dev.poll4j.containers.inside.Pwait2Check;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * poll4j under seccomp filters, and {@code epoll_pwait2} in particular: a system call from Linux
 * 5.11 that older container runtimes' filters refuse with {@code EPERM} (or, newer ones, with
 * {@code ENOSYS}, as an old kernel does). The epoll backend must keep using it where it works and
 * fall back to {@code epoll_wait} for good where it fails with either ({@link Pwait2Check}).
 *
 * <p>The two crafted profiles (test resources {@code seccomp/*.json}) allow every system call but
 * {@code epoll_pwait2}, which gets the errno; they replace Docker's default profile for that
 * container. Under the EPERM one the whole conformance suite runs too, so every timed wait of the
 * suite goes through the fallback.
 */
class SeccompIT {
  private static final String IMAGE = "bookworm-jdk17";

  /**
   * Docker's own default profile (Debian's docker.io; the container runs under a seccomp filter).
   * On Linux 6.x with docker.io 20.10 it allows {@code epoll_pwait2}; the check accepts either
   * outcome, as long as poll4j's behaviour matches it.
   */
  @TestFactory
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  Stream<DynamicNode> dockerDefaultProfile() throws IOException {
    return new ConsoleRun("seccomp-docker-default", IMAGE)
        .jvm(Pwait2Check.expect("any", 2))
        .check(Pwait2Check.class)
        .timeout(Duration.ofMinutes(5))
        .run();
  }

  /** A profile that answers {@code epoll_pwait2} with EPERM; the whole suite runs under it. */
  @TestFactory
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  Stream<DynamicNode> profileRefusingPwait2WithEperm() throws IOException {
    return new ConsoleRun("seccomp-pwait2-eperm", IMAGE)
        .jvm(Pwait2Check.expect("EPERM", 2))
        .with(hc -> hc.withSecurityOpts(List.of("seccomp=" + profile("epoll_pwait2-eperm.json"))))
        .check(Pwait2Check.class)
        .suite()
        .timeout(Duration.ofMinutes(10))
        .run();
  }

  /** A profile that answers {@code epoll_pwait2} with ENOSYS, as a kernel before 5.11 does. */
  @TestFactory
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  Stream<DynamicNode> profileRefusingPwait2WithEnosys() throws IOException {
    return new ConsoleRun("seccomp-pwait2-enosys", IMAGE)
        .jvm(Pwait2Check.expect("ENOSYS", 2))
        .with(hc -> hc.withSecurityOpts(List.of("seccomp=" + profile("epoll_pwait2-enosys.json"))))
        .check(Pwait2Check.class)
        .timeout(Duration.ofMinutes(5))
        .run();
  }

  // The Docker API takes the profile's JSON itself (the CLI reads it from a file).
  private static String profile(String name) {
    try (InputStream in = SeccompIT.class.getResourceAsStream("/seccomp/" + name)) {
      if (in == null) {
        throw new IOException("no test resource seccomp/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
