package dev.poll4j.containers.inside;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.poll4j.epoll.sys.Epoll;
import org.junit.jupiter.api.Test;

/** The contained JVM is the image's own: its Java feature release and its architecture. */
public class PlatformCheck {
  /** System property: the {@code os.arch} the JVM must report ({@code amd64}, {@code aarch64}). */
  static final String ARCH_PROPERTY = "poll4j.expect.arch";

  /** System property: the Java feature release the JVM must be. */
  static final String JAVA_PROPERTY = "poll4j.expect.java";

  /**
   * The JVM arguments that set this check's expectations.
   *
   * @param arch the expected {@code os.arch}
   * @param javaFeature the expected feature release
   * @return {@code -D} arguments
   */
  public static String[] expect(String arch, int javaFeature) {
    return new String[] {
      "-D" + ARCH_PROPERTY + "=" + arch, "-D" + JAVA_PROPERTY + "=" + javaFeature
    };
  }

  @Test
  void theJvmHasTheImagesFeatureReleaseAndArchitecture() {
    System.out.println(
        "JVM: "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " on "
            + System.getProperty("os.arch")
            + ", "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.version"));
    assertEquals(System.getProperty(ARCH_PROPERTY), System.getProperty("os.arch"), "os.arch");
    assertEquals(
        Integer.parseInt(System.getProperty(JAVA_PROPERTY)),
        Runtime.version().feature(),
        "Java feature release of " + Runtime.version());
  }

  @Test
  void epollEventLayoutIsTheArchitecturesOwn() {
    // struct epoll_event is packed on x86-64 only (linux/eventpoll.h); reference/abi.md.
    boolean packed = System.getProperty(ARCH_PROPERTY).equals("amd64");
    assertEquals(packed ? 12 : 16, Epoll.SIZEOF_EPOLL_EVENT, "sizeof(struct epoll_event)");
    assertEquals(packed ? 4 : 8, Epoll.OFFSET_DATA, "offsetof(struct epoll_event, data)");
  }
}
