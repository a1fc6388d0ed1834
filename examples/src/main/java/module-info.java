/**
 * Runnable poll4j programs: {@link dev.poll4j.examples.EchoDemo} (the README demo), {@link
 * dev.poll4j.examples.EchoServer}, {@link dev.poll4j.examples.LoadGenerator}, {@link
 * dev.poll4j.examples.HttpServer}, {@link dev.poll4j.examples.RespClient}, and the smaller
 * {@link dev.poll4j.examples.Demo} and {@link dev.poll4j.examples.Hello}. Backends (such as
 * {@code dev.poll4j.epoll}) are found at run time as services, so none is required here.
 */
module dev.poll4j.examples {
  requires transitive dev.poll4j; // the public API of the examples uses its types
  requires java.management; // ThreadMXBean: the CPU time of event-loop threads

  exports dev.poll4j.examples;
}
