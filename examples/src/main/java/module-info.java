/**
 * Runnable poll4j programs. {@link dev.poll4j.examples.Demo} is the README demo. Backends (such as
 * {@code dev.poll4j.epoll}) are found at run time as services, so none is required here.
 */
module dev.poll4j.examples {
  requires dev.poll4j;
}
