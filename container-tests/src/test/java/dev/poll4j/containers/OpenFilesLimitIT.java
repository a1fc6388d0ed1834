package dev.poll4j.containers;

import com.github.dockerjava.api.model.Ulimit;
import dev.poll4j.containers.inside.OpenFilesLimitCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * A low open-files limit, as container platforms set it ({@code --ulimit nofile=256}): a server at
 * the limit gets {@code EMFILE} from accept, sheds the queued connections, and keeps its listener
 * ({@link OpenFilesLimitCheck}).
 */
class OpenFilesLimitIT {
  private static final int LIMIT = 256;

  @TestFactory
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  Stream<DynamicNode> openFilesLimitOf256() throws IOException {
    return new ConsoleRun("ulimit-nofile-" + LIMIT, "bookworm-jdk17")
        .jvm(OpenFilesLimitCheck.expect(LIMIT))
        .with(hc -> hc.withUlimits(new Ulimit[] {new Ulimit("nofile", (long) LIMIT, (long) LIMIT)}))
        .check(OpenFilesLimitCheck.class)
        .timeout(Duration.ofMinutes(5))
        .run();
  }
}
