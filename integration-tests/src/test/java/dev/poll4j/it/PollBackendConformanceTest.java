package dev.poll4j.it;

/** The conformance suite on the portable poll(2) backend (emulated edge and oneshot modes). */
class PollBackendConformanceTest extends PollConformanceTest {
  PollBackendConformanceTest() {
    super(Capabilities.POLL);
  }
}
