package dev.poll4j.containers.inside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.Event;
import dev.poll4j.Events;
import dev.poll4j.Interest;
import dev.poll4j.Pipe;
import dev.poll4j.Poll;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * poll4j on a read-only root file system. JNA, which poll4j's native calls go through, unpacks its
 * native library ({@code libjnidispatch.so}) into a temporary directory before it can load it,
 * unless {@code jna.boot.library.path} names a directory that already holds it. So where no
 * writable, executable directory exists, poll4j cannot load: then {@link Poll#open()} must fail
 * with an {@link IOException} that lists every backend and names JNA's problem, never with a bare
 * {@link LinkageError}. Where one exists, or the library is provided, poll4j must work.
 */
public class ReadOnlyRootCheck {
  /** System property: {@code loads} or {@code fails}. */
  static final String JNA_PROPERTY = "poll4j.expect.jna";

  /**
   * The JVM arguments that set this check's expectation.
   *
   * @param loads whether poll4j's native library must load in this container
   * @return {@code -D} arguments
   */
  public static String[] expect(boolean loads) {
    return new String[] {"-D" + JNA_PROPERTY + "=" + (loads ? "loads" : "fails")};
  }

  @Test
  void theRootFileSystemIsReadOnly() {
    IOException e =
        assertThrows(
            IOException.class, () -> Files.writeString(Path.of("/poll4j-write-probe"), "x"));
    assertTrue(
        String.valueOf(e.getMessage()).contains("Read-only file system")
            || e instanceof java.nio.file.FileSystemException,
        "writing to / failed with " + e);
  }

  @Test
  void pollOpensOrFailsWithAMessageThatNamesJna() throws IOException {
    if (System.getProperty(JNA_PROPERTY).equals("loads")) {
      try (Poll poll = Poll.open();
          Pipe pipe = Pipe.open()) {
        assertEquals("epoll", poll.backendName(), "Poll.open() on Linux");
        poll.registry().register(pipe.reader(), 5, Interest.READABLE);
        pipe.writer().write(ByteBuffer.wrap(new byte[] {42}));
        Events events = Events.withCapacity(4);
        poll.poll(events, Duration.ofSeconds(5));
        assertEquals(1, events.size(), "events: " + events);
        Event e = events.get(0);
        assertTrue(e.token() == 5 && e.isReadable(), "event: " + e);
      }
      System.out.println(
          "poll4j loads here; jna.boot.library.path="
              + System.getProperty("jna.boot.library.path")
              + ", java.io.tmpdir="
              + System.getProperty("java.io.tmpdir"));
    } else {
      IOException e = assertThrows(IOException.class, Poll::open);
      String m = e.getMessage();
      System.out.println("Poll.open() here: " + m);
      assertTrue(m.contains("no poll4j backend is available"), m);
      assertTrue(m.contains("epoll:") && m.contains("poll:"), "every backend listed: " + m);
      assertTrue(m.toLowerCase(java.util.Locale.ROOT).contains("jna"), "JNA named: " + m);
    }
  }
}
