package dev.poll4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.poll4j.Events;
import dev.poll4j.Pipe;
import dev.poll4j.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The poll4j conformance suite: the contract every backend meets (DESIGN.md "Semantics contract",
 * numbered after {@code reference/peers.md} §2). The tests live in topic interfaces ({@link
 * RegistrationConformance}, {@link ModeConformance}, {@link PipeCloseConformance}, {@link
 * WakerConformance}, {@link TimeoutConformance}, {@link LifecycleConformance}, {@link
 * BadInputConformance}, {@link EventsConformance}, {@link AllocationConformance}, and for sockets
 * {@link TcpConformance}, {@link UdpConformance}, {@link UnixConformance}, {@link
 * SocketServerConformance}); this class gathers them and provides the {@link Fixture}. Each
 * backend has one small subclass that names it and its {@link Capabilities}, so reports show every
 * test once per backend.
 *
 * <p>Sources are pipes, raw descriptors of pipes, eventfds, and the {@code dev.poll4j.net}
 * sockets. After every test, once its resources are closed, no socket descriptor it opened may
 * still be open (non-blocking ones, as poll4j makes them: see {@link
 * ProcFs#openNonBlockingSockets()}): the socket tests leave the descriptor table as they found it.
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
        AllocationConformance,
        TcpConformance,
        UdpConformance,
        UnixConformance,
        SocketServerConformance {
  private static final AtomicInteger THREADS = new AtomicInteger();
  // The kernel objects (pipes, epoll and eventfd descriptors, non-blocking sockets) open before
  // the first test of a backend, or null where /proc cannot tell.
  private static TreeMap<Integer, String> descriptorsBefore;

  private final Capabilities caps;
  private final List<Poll> polls = new ArrayList<>();
  private final List<Async<?>> tasks = new ArrayList<>();
  // Concurrent: tests create pipes on several threads at once.
  private final Deque<AutoCloseable> resources = new ConcurrentLinkedDeque<>();
  private Poll poll;
  private Events events;
  // The test's directory for Unix socket paths, made on first use; null until then.
  private Path tempDir;
  // The socket descriptors open before the test, to find the ones it leaves open; null when
  // /proc cannot tell.
  private Map<Integer, String> socketsBefore;

  /**
   * Creates the suite for one backend.
   *
   * @param caps the backend and its documented differences
   */
  protected PollConformanceTest(Capabilities caps) {
    this.caps = caps;
  }

  @BeforeAll
  static void countTheDescriptors() {
    descriptorsBefore = ProcFs.available() ? ProcFs.openKernelObjects() : null;
  }

  /**
   * After the whole suite of a backend, every topic included: the descriptor table is back where
   * it started (no Poll, pipe, eventfd or socket outlives its test).
   */
  @AfterAll
  static void everyDescriptorIsBackWhereItStarted() throws InterruptedException {
    if (descriptorsBefore != null) {
      ProcFs.assertNoKernelObjectLeaked(descriptorsBefore);
    }
  }

  @BeforeEach
  void openThePoll() throws IOException {
    assumeTrue(
        caps.belongsHere(),
        "the " + caps.backend() + " backend exists only on " + caps.systems()
            + "; this is " + System.getProperty("os.name"));
    poll = openPoll();
    assertEquals(
        caps.backend(), poll.backendName(), "backend of Poll.open(\"" + caps.backend() + "\")");
    events = Events.withCapacity(64);
    socketsBefore = ProcFs.available() ? ProcFs.openNonBlockingSockets() : null;
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
    if (tempDir != null) {
      try {
        deleteTree(tempDir);
      } catch (IOException e) {
        failure = add(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    assertNoSocketLeft();
  }

  /** Fails if a socket opened during the test is still open after its cleanup. */
  private void assertNoSocketLeft() {
    if (socketsBefore == null) {
      return;
    }
    Map<Integer, String> left = ProcFs.openNonBlockingSockets();
    left.entrySet().removeAll(socketsBefore.entrySet());
    if (!left.isEmpty()) {
      List<String> described = new ArrayList<>();
      left.forEach((fd, target) -> described.add(fd + "=" + ProcFs.describeSocket(target)));
      throw new AssertionError("sockets the test left open: " + described);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
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
  public Path tempDir() throws IOException {
    if (tempDir == null) {
      tempDir = Files.createTempDirectory("poll4j-it");
    }
    return tempDir;
  }

  @Override
  public <T extends AutoCloseable> T closeAfter(T resource) {
    resources.push(resource);
    return resource;
  }
}
