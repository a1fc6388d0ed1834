package dev.poll4j.containers;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.opentest4j.TestAbortedException;
import org.testcontainers.DockerClientFactory;

/**
 * Whether container tests run here, and the images they run in.
 *
 * <p>{@value #MODE_PROPERTY} decides what happens when Docker does not answer, an image is
 * missing, or the host is Windows (whose Docker cannot run these Linux containers as they are run
 * here): {@code auto} (the default of a developer's {@code mvn verify}) skips with a message that
 * says how to get them; {@code required} ({@code .ci/run}) fails instead, so a run that tested
 * nothing cannot pass; {@code off} skips every container test. The images are the ones of {@code
 * images/images.conf} ({@value #IMAGES_PROPERTY}), built by {@code images/build.sh}; nothing is
 * ever pulled.
 */
final class Containers {
  /** System property: {@code auto}, {@code required} or {@code off}. */
  static final String MODE_PROPERTY = "poll4j.containers";

  /** System property: the path of {@code images.conf}. */
  static final String IMAGES_PROPERTY = "poll4j.images.conf";

  /** System property: the directory of jars that runs inside the containers. */
  static final String CLASSPATH_PROPERTY = "poll4j.container.classpath";

  /** System property: this module's test classes (the {@code inside} checks run from there). */
  static final String TEST_CLASSES_PROPERTY = "poll4j.container.testClasses";

  /** System property: where each container run keeps its reports and output. */
  static final String WORK_PROPERTY = "poll4j.container.work";

  private static final String MODE = System.getProperty(MODE_PROPERTY, "auto").trim();
  // The skip messages printed so far.
  private static final Set<String> SKIP_MESSAGES = ConcurrentHashMap.newKeySet();
  // Asked once: whether a Docker daemon answers, or null when it does.
  private static String dockerProblem;
  private static boolean dockerAsked;

  private Containers() {}

  /**
   * The tag of an image of images.conf, once Docker answers and the image exists; otherwise skips
   * or fails the calling test according to {@value #MODE_PROPERTY}.
   *
   * @param name the image's name in images.conf, such as {@code bookworm-jdk17}
   * @return its tag, such as {@code localhost/poll4j-bookworm-jdk17:1}
   */
  static String image(String name) {
    switch (MODE) {
      case "off":
        String message = "container tests are off (-D" + MODE_PROPERTY + "=off)";
        if (SKIP_MESSAGES.add(message)) {
          System.out.println("[container] " + message);
        }
        throw new TestAbortedException(message);
      case "auto":
      case "required":
        break;
      default:
        fail("-D" + MODE_PROPERTY + "=" + MODE + ": expected auto, required or off");
    }
    if (System.getProperty("os.name", "").startsWith("Windows")) {
      unavailable(
          "these tests run Linux images on the host's network with the suite's jars bind-mounted;"
              + " on Windows, Docker runs Windows containers, or Linux ones in a VM without that"
              + " host network");
    }
    String problem = dockerProblem();
    if (problem != null) {
      unavailable("Docker is not available here (" + problem + ")");
    }
    String tag = tags().get(name);
    if (tag == null) {
      fail("no image '" + name + "' in " + System.getProperty(IMAGES_PROPERTY));
    }
    boolean present;
    try {
      DockerClientFactory.instance().client().inspectImageCmd(tag).exec();
      present = true;
    } catch (NotFoundException e) {
      present = false;
    }
    if (!present) {
      unavailable(
          "the image " + tag + " is missing; build it with container-tests/images/build.sh");
    }
    return tag;
  }

  private static void unavailable(String why) {
    if (MODE.equals("required")) {
      fail(why + ", and -D" + MODE_PROPERTY + "=required");
    }
    String message =
        why + ": container tests skipped (-D" + MODE_PROPERTY + "=required makes this a failure)";
    // Failsafe does not print the reason of a skipped class or factory: say it once here.
    if (SKIP_MESSAGES.add(message)) {
      System.out.println("[container] " + message);
    }
    throw new TestAbortedException(message);
  }

  private static synchronized String dockerProblem() {
    if (!dockerAsked) {
      dockerAsked = true;
      try {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
          dockerProblem = "no Docker daemon answers";
        }
      } catch (RuntimeException e) {
        dockerProblem = String.valueOf(e.getMessage());
      }
    }
    return dockerProblem;
  }

  /** Image name to tag, from images.conf: {@code localhost/poll4j-NAME:VERSION}. */
  static Map<String, String> tags() {
    Path conf = Path.of(required(IMAGES_PROPERTY));
    Map<String, String> tags = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(conf)) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        String[] f = l.split("\\s+");
        tags.put(f[0], "localhost/poll4j-" + f[0] + ":" + f[1]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tags;
  }

  /** The jars that run inside the containers. */
  static Path classpath() {
    return Path.of(required(CLASSPATH_PROPERTY)).toAbsolutePath();
  }

  /** This module's test classes. */
  static Path testClasses() {
    return Path.of(required(TEST_CLASSES_PROPERTY)).toAbsolutePath();
  }

  /**
   * An empty directory for one container run, under {@value #WORK_PROPERTY}.
   *
   * @param label the run's label, used as the directory name
   */
  static Path workDir(String label) throws IOException {
    Path dir = Path.of(required(WORK_PROPERTY)).toAbsolutePath().resolve(label);
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
    return dir;
  }

  /** A loopback port that was free a moment ago: containers share the host's network. */
  static int freePort() throws IOException {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String required(String property) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      fail("-D" + property + " is not set (the failsafe configuration of container-tests sets it)");
    }
    return v;
  }
}
