package dev.poll4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.poll4j.Events;
import dev.poll4j.Pipe;
import dev.poll4j.Poll;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The poll4j conformance suite: the contract every backend meets (DESIGN.md "Semantics contract",
 * numbered after {@code reference/peers.md} §2). The tests live in topic interfaces ({@link
 * RegistrationConformance}, {@link ModeConformance}, {@link PipeCloseConformance}, {@link
 * WakerConformance}, {@link TimeoutConformance}, {@link LifecycleConformance}, {@link
 * BadInputConformance}, {@link EventsConformance}, {@link AllocationConformance}); this class
 * gathers them and provides the {@link Fixture}. Each backend has one small subclass that names it
 * and its {@link Capabilities}, so reports show every test once per backend.
 *
 * <p>Sources are pipes, raw descriptors of pipes, and eventfds: sockets join with their issue.
 */
public abstract class PollConformanceTest
    implements RegistrationConformance,
        ModeConformance,
        PipeCloseConformance,
        WakerConformance,
        TimeoutConformance,
        LifecycleConformance,
        BadInputConformance,
        EventsConformance,
        AllocationConformance {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final Capabilities caps;
  private final List<Poll> polls = new ArrayList<>();
  private final List<Async<?>> tasks = new ArrayList<>();
  // Concurrent: tests create pipes on several threads at once.
  private final Deque<AutoCloseable> resources = new ConcurrentLinkedDeque<>();
  private Poll poll;
  private Events events;

  /**
   * Creates the suite for one backend.
   *
   * @param caps the backend and its documented differences
   */
  protected PollConformanceTest(Capabilities caps) {
    this.caps = caps;
  }

  @BeforeEach
  void openThePoll() throws IOException {
    assumeTrue(
        caps.belongsHere(),
        "the " + caps.backend() + " backend exists only on " + caps.osPrefix() + " systems");
    poll = openPoll();
    assertEquals(
        caps.backend(), poll.backendName(), "backend of Poll.open(\"" + caps.backend() + "\")");
    events = Events.withCapacity(64);
  }

  @AfterEach
  void closeEverything() throws Exception {
    Exception failure = null;
    // Polls first: that also wakes any task still blocked in one.
    for (Poll p : polls) {
      try {
        Fixture.closeWithin(p, Duration.ofSeconds(5));
      } catch (Exception | AssertionError e) {
        failure = add(failure, e);
      }
    }
    for (Async<?> t : tasks) {
      t.close();
    }
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        failure = add(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static Exception add(Exception first, Throwable next) {
    Exception e = next instanceof Exception ? (Exception) next : new Exception(next);
    if (first == null) {
      return e;
    }
    first.addSuppressed(e);
    return first;
  }

  @Override
  public Capabilities caps() {
    return caps;
  }

  @Override
  public Poll poll() {
    return poll;
  }

  @Override
  public Events events() {
    return events;
  }

  @Override
  public Poll openPoll() throws IOException {
    Poll p = Poll.open(caps.backend());
    polls.add(p);
    return p;
  }

  @Override
  public Pipe pipe() throws IOException {
    return closeAfter(Pipe.open());
  }

  @Override
  public EventFd eventFd(int initial) throws IOException {
    return closeAfter(EventFd.open(initial));
  }

  @Override
  public <T> Async<T> async(String what, Async.Body<T> body) {
    Async<T> a = Async.start(what + "-" + THREADS.incrementAndGet(), body);
    tasks.add(a);
    return a;
  }

  @Override
  public <T extends AutoCloseable> T closeAfter(T resource) {
    resources.push(resource);
    return resource;
  }
}
