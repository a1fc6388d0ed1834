package dev.poll4j.examples;

import dev.poll4j.BackendStatus;
import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Pipe;
import dev.poll4j.Poll;
import dev.poll4j.Waker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The pipe and waker demo: lists the backends, opens a {@link Poll}, wakes it with a {@link
 * Waker} from another thread, sends data through a {@link Pipe}, then times a few thousand pipe
 * round trips. ({@link EchoDemo} is the README's demo; this smaller one runs with the same command
 * plus {@code -Ddemo.main=dev.poll4j.examples.Demo}.)
 *
 * <p>This is the full, compiling version of the sample in the {@link Poll} documentation: open a
 * {@code Poll}, register a {@code Pipe}'s reader, poll into an {@link Events}, iterate.
 *
 * <pre>
 * usage: Demo [--backend NAME] [--rounds N] [--help]
 * </pre>
 *
 * <p>Exits with status 1 if the backend cannot be used or an expected event does not arrive, 2
 * on a usage error.
 */
public final class Demo {
  /** Token of the pipe's read end. */
  private static final long PIPE = 1;
  /** Token of the waker. */
  private static final long WAKER = 2;
  /** How long the demo waits for an event it expects before it reports a failure. */
  private static final Duration PATIENCE = Duration.ofSeconds(5);
  /** Round trips run before the timed ones, so the JIT has compiled the loop. */
  private static final int WARM_UP = 1_000;

  private final PrintStream out;

  private Demo(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the demo and exits with its status.
   *
   * @param args {@code --backend NAME}, {@code --rounds N}, {@code --help}
   * @throws Exception if the OS refuses a call, or the thread is interrupted
   */
  public static void main(String[] args) throws Exception {
    int status = run(args, System.out);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs the demo.
   *
   * @param args as for {@link #main}
   * @param out where the report goes; errors go there too, prefixed with {@code demo:}
   * @return the exit status: 0 on success, 1 if the demo failed, 2 on a usage error
   * @throws Exception if the OS refuses a call, or the thread is interrupted
   */
  public static int run(String[] args, PrintStream out) throws Exception {
    String backend = null;
    int rounds = 5_000;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--help", "-h" -> {
            out.println(USAGE);
            return 0;
          }
          case "--backend" -> backend = value(args, ++i);
          case "--rounds" -> rounds = Integer.parseInt(value(args, ++i));
          default -> throw new Failure(2, "unknown argument: " + args[i] + " (try --help)");
        }
      }
      if (rounds < 1) {
        throw new Failure(2, "--rounds < 1: " + rounds);
      }
      new Demo(out).demo(backend, rounds);
      return 0;
    } catch (NumberFormatException e) {
      out.println("demo: --rounds needs a number: " + e.getMessage());
      return 2;
    } catch (Failure f) {
      out.println("demo: " + f.getMessage());
      return f.status;
    }
  }

  private void demo(String backend, int rounds) throws Exception {
    out.printf("poll4j demo on %s %s, Java %s%n", System.getProperty("os.name"),
        System.getProperty("os.arch"), System.getProperty("java.version"));
    out.println("backends:");
    for (BackendStatus s : Poll.backends()) {
      out.println("  " + s);
    }

    Poll opened;
    try {
      opened = backend != null ? Poll.open(backend) : Poll.open();
    } catch (IOException e) { // no such backend, or not usable here: the message lists them all
      throw new Failure(1, e.getMessage());
    }
    try (Poll poll = opened;
        Pipe pipe = Pipe.open();
        Waker waker = Waker.create(poll.registry(), WAKER)) {
      String property = System.getProperty(Poll.BACKEND_PROPERTY, "");
      out.printf("chosen: %s (%s), edge mode %s%n", poll.backendName(),
          backend != null ? "--backend " + backend
              : property.isBlank() ? "best available" : "-D" + Poll.BACKEND_PROPERTY + "=" + property,
          poll.emulatesEdge() ? "emulated" : "native");
      Events events = Events.withCapacity(64);
      poll.registry().register(pipe.reader(), PIPE, Interest.READABLE); // edge-triggered

      // 1. Another thread wakes the poll; the wake arrives as an event with the waker's token.
      Thread wakerThread = new Thread(() -> {
        sleep(50);
        waker.wake();
      }, "demo-waker");
      long t0 = System.nanoTime();
      wakerThread.start();
      expect(poll, events, WAKER);
      wakerThread.join();
      out.printf(Locale.ROOT, "waker:     poll woken by thread %s after %.1f ms%n",
          wakerThread.getName(), (System.nanoTime() - t0) / 1e6);

      // 2. Data in the pipe makes its reader readable (the sample of Poll's documentation).
      pipe.writer().write(ByteBuffer.wrap("hello, poll4j".getBytes(StandardCharsets.UTF_8)));
      poll.poll(events, Duration.ofSeconds(1));
      boolean readable = false;
      for (Event e : events) { // a reused view: valid until the next poll
        out.println("pipe:      " + e);
        readable |= e.token() == PIPE && e.isReadable();
      }
      if (!readable) {
        throw new Failure(1, "the pipe's reader was not reported readable within 1 s");
      }
      // Read until it would block (read returns 0): edge mode asks for that before the next event.
      ByteBuffer in = ByteBuffer.allocate(64);
      drain(pipe.reader(), in);
      out.printf("pipe:      read back \"%s\"%n",
          new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));

      // 3. Round trips on one thread: write 1 byte -> poll until readable -> read to would-block.
      ByteBuffer one = ByteBuffer.allocateDirect(1);
      ByteBuffer sink = ByteBuffer.allocateDirect(64);
      for (int i = 0; i < WARM_UP; i++) {
        roundTrip(poll, events, pipe, one, sink);
      }
      long[] nanos = new long[rounds];
      long start = System.nanoTime();
      for (int i = 0; i < rounds; i++) {
        long t = System.nanoTime();
        roundTrip(poll, events, pipe, one, sink);
        nanos[i] = System.nanoTime() - t;
      }
      long total = System.nanoTime() - start;
      Arrays.sort(nanos);
      out.printf(Locale.ROOT,
          "roundtrip: %,d x (write 1 byte -> poll -> read), one thread, after %,d warm-up rounds%n",
          rounds, WARM_UP);
      out.printf(Locale.ROOT,
          "           median %.1f us, p99 %.1f us, max %.1f us; %,.0f round trips/s%n",
          nanos[rounds / 2] / 1e3, nanos[(int) (rounds * 0.99)] / 1e3, nanos[rounds - 1] / 1e3,
          rounds / (total / 1e9));
      out.println("           (a smoke measurement of this machine, not a benchmark: see benchmarks/)");
    }
  }

  private static void roundTrip(Poll poll, Events events, Pipe pipe, ByteBuffer one,
      ByteBuffer sink) throws IOException {
    one.clear();
    if (pipe.writer().write(one) != 1) {
      throw new Failure(1, "the pipe did not take 1 byte");
    }
    expect(poll, events, PIPE);
    sink.clear();
    if (drain(pipe.reader(), sink) != 1) {
      throw new Failure(1, "expected to read back 1 byte");
    }
  }

  // Reads until the pipe would block; returns the byte count.
  private static int drain(Pipe.Reader reader, ByteBuffer into) throws IOException {
    int total = 0;
    for (int n; (n = reader.read(into)) > 0; ) {
      total += n;
    }
    return total;
  }

  // Polls until an event with the token arrives (others may come too: spurious events are
  // allowed), or fails after PATIENCE.
  private static void expect(Poll poll, Events events, long token) throws IOException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    do {
      poll.poll(events, PATIENCE);
      for (int i = 0; i < events.size(); i++) {
        if (events.get(i).token() == token) {
          return;
        }
      }
    } while (System.nanoTime() - deadline < 0);
    throw new Failure(1, "no event with token " + token + " within " + PATIENCE.toMillis()
        + " ms on the " + poll.backendName() + " backend");
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new Failure(2, args[i - 1] + " needs a value (try --help)");
    }
    return args[i];
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final String USAGE = String.join("\n",
      "usage: Demo [--backend NAME] [--rounds N] [--help]",
      "",
      "Lists poll4j's backends, opens a Poll, wakes it with a Waker from another thread,",
      "sends data through a Pipe, and times N pipe round trips (default 5000).",
      "",
      "  --backend NAME  use this backend (epoll, poll, ...); the default is the",
      "                  -D" + Poll.BACKEND_PROPERTY + " property, else the best available one",
      "  --rounds N      number of timed round trips",
      "  --help          this text");

  /** Ends the demo with an exit status and a message. */
  private static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    // The exit status main() ends with.
    final int status;

    Failure(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }
}
