package dev.poll4j.it;

/**
 * The conformance suite on the IOCP backend (Windows; AFD polls, emulated edge mode). Skipped, with
 * its reason, on other systems; the CI job on Windows fails unless it ran.
 */
class IocpConformanceTest extends PollConformanceTest {
  IocpConformanceTest() {
    super(Capabilities.IOCP);
  }
}
