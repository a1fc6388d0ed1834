package dev.poll4j.it;

/** The conformance suite on the epoll backend (Linux; native edge mode). */
class EpollConformanceTest extends PollConformanceTest {
  EpollConformanceTest() {
    super(Capabilities.EPOLL);
  }
}
