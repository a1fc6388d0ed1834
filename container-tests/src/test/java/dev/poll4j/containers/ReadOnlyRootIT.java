package dev.poll4j.containers;

import dev.poll4j.containers.inside.ReadOnlyRootCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * poll4j in a container with a read-only root file system ({@code --read-only}), the usual
 * hardening. JNA unpacks {@code libjnidispatch.so} to {@code ~/.cache/JNA/temp}, else to {@code
 * java.io.tmpdir}, and loads it from there, so it needs a directory that is writable and mounted
 * with exec. What happens ({@link ReadOnlyRootCheck} in each):
 *
 * <ul>
 *   <li>nothing writable: {@code Poll.open()} fails; the listing names JNA's reason ("JNA temporary
 *       directory '/tmp' is not writable");
 *   <li>{@code --tmpfs /tmp} with Docker's default options (noexec): it fails as well, since the
 *       unpacked library cannot be mapped ("failed to map segment from shared object");
 *   <li>{@code --tmpfs /tmp:exec}: poll4j works;
 *   <li>no writable directory needed at all: the library unpacked beforehand (here by the host,
 *       from the jna-jpms jar) and named by {@code -Djna.boot.library.path}: poll4j works, and the
 *       whole conformance suite runs (with a noexec tmpfs at /tmp for its temporary files).
 * </ul>
 */
class ReadOnlyRootIT {
  private static final String IMAGE = "bookworm-jdk17";
  private static final String NATIVE = "/poll4j/native";

  @TestFactory
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  Stream<DynamicNode> nothingWritableFailsNamingJna() throws IOException {
    return new ConsoleRun("read-only-nothing-writable", IMAGE)
        .jvm(ReadOnlyRootCheck.expect(false))
        .with(hc -> hc.withReadonlyRootfs(true))
        .check(ReadOnlyRootCheck.class)
        .timeout(Duration.ofMinutes(5))
        .run();
  }

  @TestFactory
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  Stream<DynamicNode> noexecTmpfsFailsNamingJna() throws IOException {
    return new ConsoleRun("read-only-noexec-tmp", IMAGE)
        .jvm(ReadOnlyRootCheck.expect(false))
        .with(
            hc ->
                hc.withReadonlyRootfs(true).withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,size=64m")))
        .check(ReadOnlyRootCheck.class)
        .timeout(Duration.ofMinutes(5))
        .run();
  }

  @TestFactory
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  Stream<DynamicNode> execTmpfsWorks() throws IOException {
    return new ConsoleRun("read-only-exec-tmp", IMAGE)
        .jvm(ReadOnlyRootCheck.expect(true))
        .with(
            hc -> hc.withReadonlyRootfs(true).withTmpFs(Map.of("/tmp", "rw,exec,nosuid,size=64m")))
        .check(ReadOnlyRootCheck.class)
        .timeout(Duration.ofMinutes(5))
        .run();
  }

  @TestFactory
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  Stream<DynamicNode> preUnpackedNativeLibraryRunsTheSuite() throws IOException {
    return new ConsoleRun("read-only-jna-boot-library-path", IMAGE)
        .jvm(ReadOnlyRootCheck.expect(true))
        .jvm("-Djna.boot.library.path=" + NATIVE)
        .with(
            hc ->
                hc.withReadonlyRootfs(true).withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,size=64m")))
        .mount(unpackJnaDispatch("linux-x86-64"), NATIVE)
        .check(ReadOnlyRootCheck.class)
        .suite()
        .timeout(Duration.ofMinutes(10))
        .run();
  }

  /** Unpacks JNA's {@code libjnidispatch.so} for a platform from the containers' jna-jpms jar. */
  private static Path unpackJnaDispatch(String platform) throws IOException {
    Path jar = null;
    try (DirectoryStream<Path> jars =
        Files.newDirectoryStream(Containers.classpath(), "jna-jpms*.jar")) {
      for (Path p : jars) {
        jar = p;
      }
    }
    if (jar == null) {
      throw new IOException("no jna-jpms jar in " + Containers.classpath());
    }
    Path dir = Containers.classpath().resolveSibling("container-native").resolve(platform);
    Files.createDirectories(dir);
    String entry = "com/sun/jna/" + platform + "/libjnidispatch.so";
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry e = zip.getEntry(entry);
      if (e == null) {
        throw new IOException("no " + entry + " in " + jar);
      }
      try (InputStream in = zip.getInputStream(e)) {
        Files.copy(in, dir.resolve("libjnidispatch.so"), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir;
  }
}
