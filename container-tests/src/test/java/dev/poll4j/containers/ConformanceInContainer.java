package dev.poll4j.containers;

import dev.poll4j.containers.inside.PlatformCheck;
import dev.poll4j.containers.inside.Pwait2Check;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The whole conformance suite of integration-tests (every backend of the container: epoll and
 * poll), compiled for Java 17 on the host, run by the JDK of one image; and {@link PlatformCheck},
 * which proves the run happened on the JDK and architecture the image is meant to have, and {@link
 * Pwait2Check}, which records what Docker's default seccomp profile (and the kernel, or qemu) does
 * to {@code epoll_pwait2} there and that the epoll backend agrees. One small subclass per image, so
 * that failsafe reports each image's counts.
 */
abstract class ConformanceInContainer {
  private final String image;
  private final String arch;
  private final int javaFeature;
  private final Duration timeout;

  /**
   * @param image the image's name in images.conf
   * @param arch the {@code os.arch} the contained JVM must report
   * @param javaFeature the Java feature release the image's JDK must have
   * @param timeout how long the contained run may take
   */
  ConformanceInContainer(String image, String arch, int javaFeature, Duration timeout) {
    this.image = image;
    this.arch = arch;
    this.javaFeature = javaFeature;
    this.timeout = timeout;
  }

  @TestFactory
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  Stream<DynamicNode> conformanceSuite() throws IOException {
    return new ConsoleRun(image, image)
        .jvm(PlatformCheck.expect(arch, javaFeature))
        .jvm(Pwait2Check.expect("any", 2))
        .suite()
        .check(PlatformCheck.class)
        .check(Pwait2Check.class)
        .timeout(timeout)
        .run();
  }
}
