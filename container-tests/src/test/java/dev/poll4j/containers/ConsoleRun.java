package dev.poll4j.containers;

import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.poll4j.containers.JUnitReport.Case;
import dev.poll4j.containers.JUnitReport.Outcome;
import dev.poll4j.containers.JUnitReport.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.DockerStatus;

/**
 * One run of the JUnit console launcher inside a container, turned into one JUnit dynamic test per
 * contained test case, so that the host's failsafe report counts them.
 *
 * <p>The container gets the suite's jars ({@link Containers#classpath()}) at {@code /poll4j/lib}
 * and this module's test classes (the {@code inside} checks) at {@code /poll4j/checks}, both
 * read-only, and writes its XML report to a bind-mounted {@code /poll4j/reports}. It shares the
 * host's network and is never pulled. The test cases the run must contain are discovered on the
 * host from the same selectors, so a contained run that lost tests fails, as does one that failed,
 * crashed or timed out: then with the container's whole output.
 */
final class ConsoleRun {
  /** The package of the conformance suite (integration-tests). */
  static final String SUITE_PACKAGE = "dev.poll4j.it";

  // The suite: the test classes right in its package, named as the host's surefire finds them
  // (subpackages, such as tests against peer programs of the host, are not part of it).
  private static final String SUITE_CLASSES = "dev\\.poll4j\\.it\\.[^.]+Tests?";
  // The checks of this module that run inside containers.
  private static final String CHECK_CLASSES = "dev\\.poll4j\\.containers\\.inside\\.[^.]+Check";
  private static final String CLASS_NAMES = "^(" + SUITE_CLASSES + "|" + CHECK_CLASSES + ")$";

  private static final String LIB = "/poll4j/lib";
  private static final String CHECKS = "/poll4j/checks";
  private static final String REPORTS = "/poll4j/reports";
  private static final String LAUNCHER = "org.junit.platform.console.ConsoleLauncher";

  private final String label;
  private final String imageName;
  private final List<String> jvmArgs = new ArrayList<>();
  private final List<String> selectorArgs = new ArrayList<>();
  private final List<DiscoverySelector> selectors = new ArrayList<>();
  private final List<Consumer<HostConfig>> settings = new ArrayList<>();
  private final Map<Path, String> readOnlyBinds = new LinkedHashMap<>();
  private Duration timeout = Duration.ofMinutes(10);

  /**
   * A run in an image of images.conf.
   *
   * @param label names the run in test names, output and {@code target/container-runs}
   * @param imageName the image's name in images.conf
   */
  ConsoleRun(String label, String imageName) {
    this.label = label;
    this.imageName = imageName;
  }

  /** Runs the whole conformance suite: the package of integration-tests, as the host does. */
  ConsoleRun suite() {
    selectorArgs.add("--select-package=" + SUITE_PACKAGE);
    selectors.add(selectPackage(SUITE_PACKAGE));
    return this;
  }

  /** Also runs a test class of this module (an {@code inside} check). */
  ConsoleRun check(Class<?> testClass) {
    selectorArgs.add("--select-class=" + testClass.getName());
    selectors.add(selectClass(testClass));
    return this;
  }

  /** Adds JVM arguments for the contained JVM. */
  ConsoleRun jvm(String... args) {
    jvmArgs.addAll(List.of(args));
    return this;
  }

  /** Applies a container setting (a hostile one, such as a ulimit or a seccomp profile). */
  ConsoleRun with(Consumer<HostConfig> setting) {
    settings.add(setting);
    return this;
  }

  /** Mounts a host directory read-only into the container. */
  ConsoleRun mount(Path hostDir, String containerDir) {
    readOnlyBinds.put(hostDir.toAbsolutePath(), containerDir);
    return this;
  }

  /** How long the container may take before it is stopped and the run fails. */
  ConsoleRun timeout(Duration limit) {
    timeout = limit;
    return this;
  }

  /**
   * Runs the container to its end and returns its results: first the run itself (exit code, report,
   * completeness), then one container per test class with one test per contained case.
   */
  Stream<DynamicNode> run() throws IOException {
    String tag = Containers.image(imageName);
    Set<String> expected = expectedMethods();
    Path work = Containers.workDir(label);
    Path reports = Files.createDirectories(work.resolve("reports"));
    List<String> command = new ArrayList<>();
    command.add("java");
    // JDK 24+ asks for native-access grants (JEP 472); JDK 17 accepts the flag as well.
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(jvmArgs);
    command.addAll(
        List.of(
            "-cp",
            LIB + "/*:" + CHECKS,
            LAUNCHER,
            "execute",
            "--disable-banner",
            "--disable-ansi-colors",
            "--details=tree",
            "--details-theme=ascii",
            "--fail-if-no-tests",
            "--reports-dir=" + REPORTS,
            "--include-classname=" + CLASS_NAMES));
    command.addAll(selectorArgs);

    List<Bind> binds = new ArrayList<>();
    binds.add(new Bind(Containers.classpath().toString(), new Volume(LIB), AccessMode.ro));
    binds.add(new Bind(Containers.testClasses().toString(), new Volume(CHECKS), AccessMode.ro));
    binds.add(new Bind(reports.toString(), new Volume(REPORTS), AccessMode.rw));
    readOnlyBinds.forEach(
        (host, path) -> binds.add(new Bind(host.toString(), new Volume(path), AccessMode.ro)));

    long start = System.nanoTime();
    RuntimeException startFailure = null;
    String output = "";
    Long exitCode = null;
    try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(tag))) {
      c.withImagePullPolicy(name -> false)
          .withNetworkMode("host")
          .withCommand(command.toArray(String[]::new))
          .withStartupCheckStrategy(new UntilExited().withTimeout(timeout))
          .withCreateContainerCmdModifier(
              cmd -> {
                HostConfig hc = cmd.getHostConfig();
                hc.withBinds(binds);
                settings.forEach(s -> s.accept(hc));
              });
      try {
        c.start();
      } catch (RuntimeException e) {
        startFailure = e;
      }
      if (c.getContainerId() != null) {
        try {
          output = c.getLogs();
          exitCode = c.getCurrentContainerInfo().getState().getExitCodeLong();
        } catch (RuntimeException e) {
          if (startFailure == null) {
            startFailure = e;
          } else {
            startFailure.addSuppressed(e);
          }
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Files.writeString(work.resolve("output.txt"), output, StandardCharsets.UTF_8);
    Files.writeString(work.resolve("command.txt"), String.join(" ", command) + "\n");

    Path xml = reports.resolve("TEST-junit-jupiter.xml");
    Report report = Files.exists(xml) ? JUnitReport.read(xml) : null;
    List<Case> cases = report == null ? List.of() : report.cases();
    String where = label + " (" + tag + describeJvm(report) + ")";
    Map<Outcome, Long> counts =
        cases.stream().collect(Collectors.groupingBy(Case::outcome, Collectors.counting()));
    String summary =
        String.format(
            "%d tests: %d passed, %d skipped, %d failed; exit code %s; %.1f s",
            cases.size(),
            counts.getOrDefault(Outcome.PASSED, 0L),
            counts.getOrDefault(Outcome.SKIPPED, 0L),
            counts.getOrDefault(Outcome.FAILED, 0L) + counts.getOrDefault(Outcome.ERROR, 0L),
            exitCode,
            seconds);
    System.out.println("[container] " + where + ": " + summary);

    Set<String> missing = new TreeSet<>(expected);
    for (Case c : cases) {
      String method =
          c.name().contains("(") ? c.name().substring(0, c.name().indexOf('(')) : c.name();
      missing.remove(c.className() + "#" + method);
    }
    RuntimeException failure = startFailure;
    Long exit = exitCode;
    String out = output;
    List<DynamicNode> nodes = new ArrayList<>();
    nodes.add(
        dynamicTest(
            "container run: " + summary,
            () -> {
              String problem = null;
              if (failure != null) {
                problem = "the container did not run to its end within " + timeout + ": " + failure;
              } else if (exit == null || exit != 0) {
                problem = "the JUnit console launcher exited with " + exit;
              } else if (report == null) {
                problem = "the container wrote no report " + xml.getFileName();
              } else if (!missing.isEmpty()) {
                problem =
                    missing.size()
                        + " of the "
                        + expected.size()
                        + " test methods discovered on the host did not run: "
                        + missing;
              }
              if (problem != null) {
                throw new AssertionFailedError(
                    "in "
                        + where
                        + ": "
                        + problem
                        + "\ncommand: "
                        + String.join(" ", command)
                        + "\n---- container output:\n"
                        + out,
                    failure);
              }
            }));
    Map<String, List<Case>> byClass = new LinkedHashMap<>();
    for (Case c : cases) {
      byClass.computeIfAbsent(c.simpleClassName(), k -> new ArrayList<>()).add(c);
    }
    byClass.forEach(
        (cls, list) ->
            nodes.add(
                dynamicContainer(
                    label + ": " + cls,
                    list.stream()
                        .map(c -> dynamicTest(cls + "." + c.name(), () -> replay(where, c))))));
    return nodes.stream();
  }

  private static String describeJvm(Report report) {
    if (report == null) {
      return "";
    }
    Map<String, String> p = report.properties();
    return ", "
        + p.getOrDefault("java.vm.name", "?")
        + " "
        + p.getOrDefault("java.runtime.version", "?")
        + " on "
        + p.getOrDefault("os.arch", "?");
  }

  /** Ends a dynamic test the way the contained test case ended. */
  private static void replay(String where, Case c) {
    switch (c.outcome()) {
      case PASSED:
        return;
      case SKIPPED:
        throw new TestAbortedException("skipped in " + where + ": " + c.message());
      default:
        throw new AssertionFailedError(
            "in "
                + where
                + ": "
                + c.className()
                + "."
                + c.name()
                + " "
                + c.outcome()
                + ": "
                + c.message()
                + "\n"
                + c.detail()
                + (c.output().isEmpty() ? "" : "\n---- its output:\n" + c.output()));
    }
  }

  /** The test methods (class#method) the host's JUnit discovers for the run's selectors. */
  private Set<String> expectedMethods() {
    TestPlan plan =
        LauncherFactory.create()
            .discover(
                LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectors)
                    .filters(includeClassNamePatterns(CLASS_NAMES))
                    .build());
    Set<String> methods = new TreeSet<>();
    for (TestIdentifier root : plan.getRoots()) {
      collect(plan, root, methods);
    }
    if (methods.isEmpty()) {
      throw new AssertionFailedError("the host discovers no tests for " + selectorArgs);
    }
    return methods;
  }

  private static void collect(TestPlan plan, TestIdentifier id, Set<String> into) {
    id.getSource()
        .filter(MethodSource.class::isInstance)
        .map(MethodSource.class::cast)
        .ifPresent(m -> into.add(m.getClassName() + "#" + m.getMethodName()));
    for (TestIdentifier child : plan.getChildren(id)) {
      collect(plan, child, into);
    }
  }

  /** Startup is over when the container has exited, whatever its exit code. */
  private static final class UntilExited extends StartupCheckStrategy {
    @Override
    public StartupStatus checkStartupState(DockerClient client, String containerId) {
      return DockerStatus.isContainerStopped(getCurrentState(client, containerId))
          ? StartupStatus.SUCCESSFUL
          : StartupStatus.NOT_YET_KNOWN;
    }
  }
}
