package dev.poll4j.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A task on its own named daemon thread, whose result or failure the test collects with a bound on
 * the wait. The native thread carries the same name, so {@link ProcFs} can find it.
 *
 * @param <T> the result type
 */
final class Async<T> implements AutoCloseable {
  /** The body of a task. */
  @FunctionalInterface
  interface Body<T> {
    T run() throws Exception;
  }

  private final Thread thread;
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile T result;
  private volatile Throwable failure;

  private Async(String name, Body<T> body) {
    this.thread =
        new Thread(
            () -> {
              started.countDown();
              try {
                result = body.run();
              } catch (Throwable t) {
                failure = t;
              }
            },
            name);
    thread.setDaemon(true);
  }

  /**
   * Starts {@code body} on a new thread and waits until that thread runs.
   *
   * @param name the thread name; keep it under 16 characters to match the native name
   * @param body what to run
   * @return the running task
   */
  static <T> Async<T> start(String name, Body<T> body) {
    Async<T> a = new Async<>(name, body);
    a.thread.start();
    try {
      if (!a.started.await(10, TimeUnit.SECONDS)) {
        fail("thread " + name + " did not start");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return a;
  }

  Thread thread() {
    return thread;
  }

  boolean isDone() {
    return !thread.isAlive();
  }

  /**
   * Waits for the task and returns its result, rethrowing its failure.
   *
   * @param max the longest wait; a task still running then fails the test, with its stack
   * @return the result
   */
  T get(Duration max) throws Exception {
    thread.join(Math.max(1, max.toMillis()));
    if (thread.isAlive()) {
      AssertionError e =
          new AssertionError("thread " + thread.getName() + " still running after " + max);
      e.setStackTrace(thread.getStackTrace());
      throw e;
    }
    Throwable t = failure;
    if (t instanceof Exception) {
      throw (Exception) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    return result;
  }

  /** The failure of a finished task, or null. */
  Throwable failure() {
    return failure;
  }

  /** Interrupts a task that is still running and waits a little for it. */
  @Override
  public void close() {
    if (thread.isAlive()) {
      thread.interrupt();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
