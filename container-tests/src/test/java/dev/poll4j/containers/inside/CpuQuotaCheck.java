package dev.poll4j.containers.inside;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The container runs under a CPU quota of half a core ({@code --cpus=0.5}), and the JVM sees one
 * processor: the suite that runs beside this check runs throttled.
 */
public class CpuQuotaCheck {
  /** System property: the quota in millicores the container must have. */
  static final String MILLICORES_PROPERTY = "poll4j.expect.millicores";

  /**
   * The JVM arguments that set this check's expectation.
   *
   * @param millicores the expected quota, in thousandths of a core
   * @return {@code -D} arguments
   */
  public static String[] expect(int millicores) {
    return new String[] {"-D" + MILLICORES_PROPERTY + "=" + millicores};
  }

  @Test
  void theCfsQuotaIsAppliedAndTheJvmSeesOneProcessor() throws IOException {
    long quota;
    long period;
    Path v2 = Path.of("/sys/fs/cgroup/cpu.max");
    if (Files.exists(v2)) { // cgroup v2: "quota period" or "max period"
      String[] f = Files.readString(v2).strip().split("\\s+");
      quota = f[0].equals("max") ? -1 : Long.parseLong(f[0]);
      period = Long.parseLong(f[1]);
    } else { // cgroup v1
      quota =
          Long.parseLong(Files.readString(Path.of("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")).strip());
      period =
          Long.parseLong(Files.readString(Path.of("/sys/fs/cgroup/cpu/cpu.cfs_period_us")).strip());
    }
    System.out.println(
        "CFS quota "
            + quota
            + " us per "
            + period
            + " us; availableProcessors "
            + Runtime.getRuntime().availableProcessors());
    long expected = Long.parseLong(System.getProperty(MILLICORES_PROPERTY));
    assertEquals(
        expected, quota * 1000 / period, "millicores of the CFS quota " + quota + "/" + period);
    assertEquals(1, Runtime.getRuntime().availableProcessors(), "Runtime.availableProcessors()");
  }
}
