package dev.poll4j.examples;

import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Pipe;
import dev.poll4j.Poll;
import dev.poll4j.Waker;
import java.nio.ByteBuffer;
import java.time.Duration;

/** The README's example: a pipe and a waker on one {@link Poll}. */
public final class Hello {
  static final long PIPE = 1, WAKER = 2; // tokens: any long the caller picks

  private Hello() {}

  /**
   * Registers a pipe, wakes the poll from another thread, writes to the pipe, and reports both.
   *
   * @param args ignored
   * @throws Exception if the OS refuses a call
   */
  public static void main(String[] args) throws Exception {
    try (Poll poll = Poll.open(); // the best backend here, or -Dpoll4j.backend=NAME
        Pipe pipe = Pipe.open();
        Waker waker = Waker.create(poll.registry(), WAKER)) {
      poll.registry().register(pipe.reader(), PIPE, Interest.READABLE); // edge-triggered
      new Thread(waker::wake).start(); // wake from any thread
      pipe.writer().write(ByteBuffer.wrap(new byte[] {'h', 'i'}));

      Events events = Events.withCapacity(64); // reused: polling allocates nothing
      ByteBuffer buf = ByteBuffer.allocate(64);
      boolean woken = false, read = false;
      while (!(woken && read)) {
        poll.poll(events, Duration.ofSeconds(1)); // null: no limit; Duration.ZERO: don't block
        for (Event e : events) { // a reused view, valid until the next poll
          if (e.token() == WAKER) {
            woken = true;
          } else if (e.token() == PIPE && e.isReadable()) {
            while (pipe.reader().read(buf) > 0) {} // drain until it would block (0)
            read = true;
          }
        }
      }
      System.out.println(poll.backendName() + ": woken, read " + buf.position() + " bytes");
    }
  }
}
