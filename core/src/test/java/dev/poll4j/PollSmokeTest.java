package dev.poll4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Core's own check of the poll(2) backend; the full contract lives in integration-tests. */
@DisabledOnOs(
    value = OS.WINDOWS,
    disabledReason = "checks core's poll(2) backend, which does not exist on Windows")
@Timeout(20)
class PollSmokeTest {
  @Test
  void pipeAndWakerRoundTripOnThePollBackend() throws Exception {
    try (Poll poll = Poll.open("poll");
        Pipe pipe = Pipe.open();
        Waker waker = Waker.create(poll.registry(), 99)) {
      assertEquals("poll", poll.backendName());
      assertTrue(poll.emulatesEdge());
      Events events = Events.withCapacity(8);
      poll.registry().register(pipe.reader(), 1, Interest.READABLE);
      assertEquals(0, poll.poll(events, Duration.ofMillis(20)));

      Thread t = new Thread(waker::wake);
      t.start();
      assertEquals(1, poll.poll(events, Duration.ofSeconds(5)));
      assertEquals(99, events.get(0).token());
      t.join();

      assertEquals(1, pipe.writer().write(ByteBuffer.wrap(new byte[] {42})));
      assertEquals(1, poll.poll(events, Duration.ofSeconds(5)));
      assertEquals(1, events.get(0).token());
      assertTrue(events.get(0).isReadable());
      ByteBuffer dst = ByteBuffer.allocate(4);
      assertEquals(1, pipe.reader().read(dst));
      assertEquals(42, dst.get(0));
      assertEquals(0, pipe.reader().read(dst.clear()), "empty pipe would block");
      assertEquals(0, poll.poll(events, Duration.ofMillis(20)));

      pipe.writer().close();
      assertEquals(1, poll.poll(events, Duration.ofSeconds(5)));
      assertTrue(events.get(0).isReadClosed());
      assertEquals(-1, pipe.reader().read(dst.clear()));
    }
  }
}
