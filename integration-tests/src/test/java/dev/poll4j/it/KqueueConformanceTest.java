package dev.poll4j.it;

/**
 * The conformance suite on the kqueue backend (macOS, FreeBSD, OpenBSD, NetBSD; native edge mode).
 * Skipped, with its reason, on other systems; the CI jobs on macOS and FreeBSD fail unless it ran.
 */
class KqueueConformanceTest extends PollConformanceTest {
  KqueueConformanceTest() {
    super(Capabilities.KQUEUE);
  }
}
