package dev.poll4j.containers;

import dev.poll4j.containers.inside.CpuQuotaCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The whole conformance suite under a CPU quota of half a core ({@code --cpus=0.5}): the JVM sees
 * one processor and is throttled every CFS period, so timeouts, wakes and cross-thread
 * registrations must hold with the threads that drive them descheduled ({@link CpuQuotaCheck}
 * proves the quota is in force).
 */
class CpuQuotaIT {
  private static final int MILLICORES = 500;

  @TestFactory
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  Stream<DynamicNode> halfACore() throws IOException {
    return new ConsoleRun("cpus-0.5", "bookworm-jdk17")
        .jvm(CpuQuotaCheck.expect(MILLICORES))
        .with(hc -> hc.withNanoCPUs(MILLICORES * 1_000_000L))
        .check(CpuQuotaCheck.class)
        .suite()
        .timeout(Duration.ofMinutes(15))
        .run();
  }
}
