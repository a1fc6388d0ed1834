package dev.poll4j.examples;

import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Poll;
import dev.poll4j.Waker;
import dev.poll4j.net.TcpListener;
import dev.poll4j.net.TcpStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A TCP server on one poll4j event-loop thread: it accepts connections, hands each connection's
 * events to a {@link Connection} that the subclass makes, and stops gracefully when {@link
 * #close()} wakes it through a {@link Waker}. {@link EchoServer} and {@link HttpServer} are the
 * two subclasses; what they have in common lives here, so that each of them is only its protocol.
 *
 * <h2>The loop</h2>
 *
 * One thread polls and does all the I/O; nothing is shared with other threads but a few
 * counters and the stop request. Every registration is edge-triggered ({@link
 * dev.poll4j.Mode#EDGE}): on an event, the listener accepts until {@code accept()} returns null,
 * and a connection reads (or writes) until the call would block. That drain rule is what lets
 * backends that emulate edge mode (poll(2), IOCP) re-arm the registration, so the same code is
 * correct on every backend.
 *
 * <h2>Tokens</h2>
 *
 * The listener has token {@value #LISTENER}, the waker {@value #WAKER}. A connection's token is
 * its slot in a table plus a generation in the high 32 bits: when a connection is closed and its
 * slot reused within one batch of events, an event of the old connection still in that batch
 * carries the old generation and is ignored instead of reaching the new connection.
 *
 * <h2>Stopping</h2>
 *
 * {@link #close()} asks the loop to stop and waits for it: the loop closes the listener, closes
 * every {@linkplain Connection#isIdle() idle} connection at once and the others as soon as they
 * become idle, and after a grace period of {@value #GRACE_MILLIS} ms closes whatever is left.
 */
public abstract class TcpServer implements Closeable {
  /** Token of the listening socket. */
  static final long LISTENER = 0;
  /** Token of the waker that {@link #close()} uses. */
  static final long WAKER = 1;
  /** How long a stopping server lets busy connections finish before it closes them. */
  static final long GRACE_MILLIS = 2_000;
  /** Events handled per poll: a batch, not a limit on connections. */
  private static final int EVENTS_PER_POLL = 1024;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Poll poll;
  private final TcpListener listener;
  private final Waker waker;
  private final InetSocketAddress address;
  private final Thread thread;

  // Connections by slot; tokens carry the slot in their low 32 bits. Loop thread only.
  private Connection[] slots = new Connection[64];
  // Generation of each slot, bumped whenever the slot is reused. Loop thread only.
  private int[] generations = new int[64];
  // Free slots as a stack, and its height. Loop thread only.
  private int[] free = new int[64];
  private int freeCount;
  // Slots handed out so far (the table's high-water mark). Loop thread only.
  private int used;
  // Set when accept failed. At the open-files limit poll4j closes the pending connections and
  // re-arms the listener itself; if it could not, they stay queued and no event will say so:
  // then the next connection to close re-registers the listener, which re-evaluates its
  // readiness. Loop thread only.
  private boolean acceptPaused;
  // The loop is in its stop sequence: no listener any more, connections closing. Loop thread only.
  private boolean stopping;

  // Written by close(), read by the loop when the waker fires.
  private volatile boolean stopRequested;
  // Counters written by the loop thread, readable from any thread.
  private volatile long accepted;
  private volatile int open;
  private volatile long connectionErrors;
  // CPU time of the loop thread when it ended, or -1 while it runs.
  private volatile long finalCpuNanos = -1;
  // Why the loop died, if it did; rethrown by close().
  private volatile Throwable failure;

  /**
   * Binds the listener and opens the {@code Poll}; the loop starts with {@link #start()}.
   *
   * @param name the name of the loop thread
   * @param backend a backend name such as {@code epoll} or {@code poll}, or null for {@link
   *     Poll#open()} (the {@code poll4j.backend} property, else the best backend here)
   * @param address where to listen; port 0 picks a free port ({@link #address()} tells which)
   * @throws IOException if the backend cannot be used or the address cannot be bound
   */
  // The loop thread gets this::loop here but is started only by start(), after the subclass's
  // constructor has finished: javac 21+ warns about the reference all the same.
  @SuppressWarnings("this-escape")
  protected TcpServer(String name, String backend, InetSocketAddress address) throws IOException {
    Poll p = backend == null ? Poll.open() : Poll.open(backend);
    TcpListener l = null;
    try {
      l = TcpListener.bind(address);
      p.registry().register(l, LISTENER, Interest.READABLE);
      this.waker = Waker.create(p.registry(), WAKER);
      this.address = l.localAddress();
    } catch (IOException | RuntimeException e) {
      closeQuietly(l, e);
      closeQuietly(p, e);
      throw e;
    }
    this.poll = p;
    this.listener = l;
    this.thread = new Thread(this::loop, name);
    this.thread.setDaemon(true); // a forgotten server does not keep the JVM alive
  }

  /**
   * Starts the event-loop thread; called once, by the subclass's factory.
   *
   * @throws IllegalThreadStateException if called twice
   */
  protected final void start() {
    thread.start();
  }

  /**
   * Makes the state of a connection the server just accepted.
   *
   * @param stream the accepted stream, non-blocking, with {@code TCP_NODELAY} set
   * @return the connection; the server registers its stream for {@link Interest#READABLE}
   */
  protected abstract Connection accept(TcpStream stream);

  /**
   * The address the server listens on, with the real port when it was bound to port 0.
   *
   * @return the local address
   */
  public final InetSocketAddress address() {
    return address;
  }

  /**
   * The backend the server's {@code Poll} runs on.
   *
   * @return a name such as {@code epoll}
   */
  public final String backendName() {
    return poll.backendName();
  }

  /**
   * Connections accepted so far.
   *
   * @return the count
   */
  public final long connectionsAccepted() {
    return accepted;
  }

  /**
   * Connections open now.
   *
   * @return the count
   */
  public final int openConnections() {
    return open;
  }

  /**
   * Connections closed because of an I/O error (such as a reset by the peer) or a protocol
   * error.
   *
   * @return the count
   */
  public final long connectionErrors() {
    return connectionErrors;
  }

  /**
   * CPU time used by the event-loop thread so far, measured by {@link ThreadMXBean}.
   *
   * @return nanoseconds, or {@code -1} if this JVM cannot measure thread CPU time
   */
  public final long cpuTimeNanos() {
    long last = finalCpuNanos;
    if (last >= 0 || !THREADS.isThreadCpuTimeSupported()) {
      return last;
    }
    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same value
    long id = thread.getId();
    long now = THREADS.getThreadCpuTime(id);
    return now >= 0 ? now : finalCpuNanos; // -1 if the thread ended in between
  }

  /**
   * Whether the server is stopping: its listener is closed and connections should finish what
   * they are doing. Meant for connections (an HTTP server then answers with {@code Connection:
   * close}).
   *
   * @return true once the stop sequence began; loop thread only
   */
  protected final boolean stopping() {
    return stopping;
  }

  /**
   * Waits until the event loop has ended (after {@link #close()}, or after it failed).
   *
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public final void awaitTermination() throws InterruptedException {
    thread.join();
  }

  /**
   * Stops the server: stops accepting, lets busy connections finish for up to {@value
   * #GRACE_MILLIS} ms, closes everything, and waits for the loop thread to end. Idempotent, from
   * any thread but the loop thread.
   *
   * @throws IOException if the event loop failed (the cause is attached), or did not end in time
   */
  @Override
  public final void close() throws IOException {
    if (!stopRequested) {
      stopRequested = true;
      try {
        waker.wake();
      } catch (IllegalStateException e) {
        // The loop ended already (it failed, or a previous close won the race) and closed the
        // waker: there is nothing to wake.
      }
    }
    try {
      thread.join(GRACE_MILLIS + 3_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping " + thread.getName(), e);
    }
    if (thread.isAlive()) {
      throw new IOException(thread.getName() + " did not stop within " + (GRACE_MILLIS + 3_000)
          + " ms");
    }
    Throwable f = failure;
    if (f != null) {
      throw new IOException(thread.getName() + " failed: " + f, f);
    }
  }

  // ---- the event loop -------------------------------------------------------------------

  private void loop() {
    Events events = Events.withCapacity(EVENTS_PER_POLL);
    long deadline = 0; // when the grace period ends, once stopping
    try {
      while (!stopping || (open > 0 && System.nanoTime() - deadline < 0)) {
        // Block without limit while serving; while stopping, until the grace period ends.
        Duration timeout =
            stopping ? Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0)) : null;
        poll.poll(events, timeout);
        for (int i = 0; i < events.size(); i++) {
          Event e = events.get(i); // a reused view, valid until the next get or poll
          long token = e.token();
          if (token == LISTENER) {
            acceptAll();
          } else if (token == WAKER) {
            if (stopRequested && !stopping) {
              beginStop();
              deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
            }
          } else {
            dispatch(token, e);
          }
        }
      }
    } catch (Throwable t) {
      failure = t;
    } finally {
      stopping = true; // also after a failure: closing connections must not resume accepting
      for (int slot = 0; slot < used; slot++) {
        if (slots[slot] != null) {
          closeConnection(slots[slot]);
        }
      }
      closeQuietly(listener, null);
      waker.close();
      closeQuietly(poll, null);
      finalCpuNanos =
          THREADS.isThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }
  }

  // Accepts until accept() returns null (would block), as edge mode asks.
  private void acceptAll() throws IOException {
    while (!stopping) {
      TcpStream stream;
      try {
        stream = listener.accept();
      } catch (IOException e) {
        // Out of descriptors, say (see TcpListener.accept): retry when a connection closes,
        // rather than spin here.
        acceptPaused = true;
        return;
      }
      if (stream == null) {
        return;
      }
      Connection c;
      try {
        stream.setOption(StandardSocketOptions.TCP_NODELAY, true); // small replies go out at once
        c = accept(stream);
        c.server = this;
        c.token = newToken(c);
        poll.registry().register(stream, c.token, Interest.READABLE);
      } catch (IOException | RuntimeException e) {
        closeQuietly(stream, null);
        connectionErrors++;
        continue;
      }
      accepted++;
      open++;
      // Data may have arrived with the connection; an edge registration reports it, but reading
      // now saves a round through poll().
      handle(c, null);
    }
  }

  private void dispatch(long token, Event e) {
    int slot = (int) token;
    if (slot < 0 || slot >= used) {
      return;
    }
    Connection c = slots[slot];
    if (c == null || c.token != token) {
      return; // an event of a connection closed earlier in this batch
    }
    handle(c, e);
  }

  private void handle(Connection c, Event e) {
    boolean keep;
    try {
      keep = c.onReady(e);
    } catch (IOException | UncheckedIOException e1) {
      connectionErrors++; // a reset, a broken pipe: this connection's problem, not the server's
      keep = false;
    }
    if (!keep || (stopping && c.isIdle())) {
      closeConnection(c);
    }
  }

  private void beginStop() throws IOException {
    stopping = true;
    poll.registry().deregister(listener);
    listener.close(); // new connections are refused from now on
    for (int slot = 0; slot < used; slot++) {
      Connection c = slots[slot];
      if (c != null && c.isIdle()) {
        closeConnection(c);
      }
    }
  }

  private long newToken(Connection c) {
    int slot;
    if (freeCount > 0) {
      slot = free[--freeCount];
    } else {
      if (used == slots.length) {
        slots = Arrays.copyOf(slots, used * 2);
        generations = Arrays.copyOf(generations, used * 2);
        free = Arrays.copyOf(free, used * 2);
      }
      slot = used++;
    }
    slots[slot] = c;
    int generation = ++generations[slot] & Integer.MAX_VALUE; // never 0: tokens stay above WAKER
    if (generation == 0) {
      generation = generations[slot] = 1;
    }
    return ((long) generation << 32) | slot;
  }

  private void closeConnection(Connection c) {
    int slot = (int) c.token;
    slots[slot] = null;
    free[freeCount++] = slot;
    open--;
    try {
      c.closed();
    } finally {
      closeQuietly(c.stream, null); // closing ends the registration too
    }
    if (acceptPaused && !stopping) {
      acceptPaused = false;
      try {
        poll.registry().reregister(listener, LISTENER, Interest.READABLE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static void closeQuietly(Closeable c, Throwable addTo) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException | RuntimeException e) {
      if (addTo != null) {
        addTo.addSuppressed(e);
      }
    }
  }

  /**
   * One accepted connection: its stream and whatever protocol state the subclass keeps. Used by
   * the loop thread only.
   */
  protected abstract static class Connection {
    /** The accepted stream; the server closes it when the connection ends. */
    protected final TcpStream stream;
    // Set by the server when it registers the connection.
    private TcpServer server;
    private long token;
    // The interest registered now, so that unchanged interest costs no system call.
    private Interest interest = Interest.READABLE;

    /**
     * Wraps an accepted stream.
     *
     * @param stream the stream
     */
    protected Connection(TcpStream stream) {
      this.stream = stream;
    }

    /**
     * Does what the readiness allows: called for every event of this connection, and once right
     * after it is accepted (with a null event). Must read and write until the calls would block
     * (return {@code 0}), or until the connection has to wait for something else, which it
     * then asks for with {@link #interest(Interest)}.
     *
     * @param event the event, a reused view valid during this call; null right after accept
     * @return false to close the connection
     * @throws IOException on an I/O error; the server closes the connection and counts it
     */
    protected abstract boolean onReady(Event event) throws IOException;

    /**
     * Whether a stopping server may close this connection now: nothing half-done, nothing
     * waiting to be written. The default says yes at once.
     *
     * @return true if idle
     */
    protected boolean isIdle() {
      return true;
    }

    /** Called once when the connection closes, before its stream is closed. Does nothing here. */
    protected void closed() {}

    /**
     * Changes what this connection waits for, if it differs from what it waits for now: {@link
     * Interest#READABLE} normally, with {@link Interest#WRITABLE} added while a write would
     * block, or {@code WRITABLE} alone to stop reading until the output has drained
     * (backpressure). A re-registration makes the backend look at the current readiness again,
     * so nothing is lost by switching.
     *
     * @param wanted the interest from now on
     * @throws IOException if the kernel refuses the change
     */
    protected final void interest(Interest wanted) throws IOException {
      if (wanted != interest) { // Interest constants are shared, so identity is equality
        server.poll.registry().reregister(stream, token, wanted);
        interest = wanted;
      }
    }

    /**
     * The server this connection belongs to.
     *
     * @return the server
     */
    protected final TcpServer server() {
      return server;
    }
  }
}
