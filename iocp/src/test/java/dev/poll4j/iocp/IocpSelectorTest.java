package dev.poll4j.iocp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import dev.poll4j.Mode;
import dev.poll4j.NativeIOException;
import dev.poll4j.iocp.SimulatedIocp.Socket;
import dev.poll4j.iocp.sys.Afd;
import dev.poll4j.iocp.sys.Iocp;
import dev.poll4j.iocp.sys.Ntdll;
import dev.poll4j.spi.EventBuffer;
import dev.poll4j.spi.Ops;
import dev.poll4j.spi.Registration;
import dev.poll4j.spi.SourceHandle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IocpSelector's state machine and event translation against a simulated completion port and AFD
 * driver ({@link SimulatedIocp}), which fails the test on a second outstanding poll per socket and
 * on memory freed while the kernel owns it. After every test the selector is closed and the
 * simulator must report no violation, no live native block and a closed port.
 */
class IocpSelectorTest {
  private static final int READ_MASK = Afd.AFD_POLL_RECEIVE | Afd.AFD_POLL_DISCONNECT
      | Afd.AFD_POLL_ACCEPT | Afd.AFD_POLL_ABORT | Afd.AFD_POLL_CONNECT_FAIL;
  private static final int WRITE_MASK =
      Afd.AFD_POLL_SEND | Afd.AFD_POLL_ABORT | Afd.AFD_POLL_CONNECT_FAIL;

  private SimulatedIocp sim;
  private IocpSelector selector;
  private final EventBuffer events = new EventBuffer(64);
  // Set by the tests that break the simulator's rules on purpose.
  private boolean violationsExpected;

  @BeforeEach
  void open() throws IOException {
    sim = new SimulatedIocp();
    selector = new IocpSelector(sim);
  }

  @AfterEach
  void closeAndCheckTheKernelsView() throws IOException {
    if (violationsExpected) {
      return; // the simulator's state is inconsistent on purpose
    }
    selector.close();
    assertEquals(List.of(), sim.violations());
    assertEquals(0, sim.liveBlocks(), "every native block is freed on close");
    assertEquals(0, sim.outstanding(), "every poll drained");
    assertTrue(sim.portClosed());
  }

  private static SourceHandle handle(Socket s) {
    return SourceHandle.borrowed(s.value, "socket");
  }

  private SourceHandle register(Socket s, long token, int interest, Mode mode) throws IOException {
    SourceHandle h = handle(s);
    h.register(selector, token, interest, mode);
    return h;
  }

  private int selectNow() throws IOException {
    return selector.select(events, 0);
  }

  private void assertOneEvent(long token, int ready) {
    assertEquals(1, events.size(), "one event");
    assertEquals(token, events.token(0));
    assertEquals(Ops.toString(ready), Ops.toString(events.ready(0)));
  }

  // ---- submit: handles, masks, synchronous success ---------------------------------------------

  @Test
  void eachAfdHandleIsOpenedOnTheAfdDeviceAndBoundToThePortWithSkipSetEventOnly()
      throws IOException {
    register(sim.newSocket(), 1, Ops.READABLE, Mode.EDGE);
    assertEquals(1, sim.afdHandles().size());
    SimulatedIocp.AfdHandle afd = sim.afdHandles().get(0);
    assertEquals("\\Device\\Afd\\Poll4j", afd.name);
    assertEquals(selector.port(), afd.port);
    assertEquals(IocpSelector.AFD_KEY, afd.key);
    assertEquals(Iocp.FILE_SKIP_SET_EVENT_ON_HANDLE, afd.notificationModes,
        "never FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: a synchronous success must queue a packet");
  }

  @Test
  void eachInterestAsksForMiosMaskPlusLocalClose() throws IOException {
    Socket r = sim.newSocket();
    Socket w = sim.newSocket();
    Socket p = sim.newSocket();
    Socket rw = sim.newSocket();
    register(r, 1, Ops.READABLE, Mode.EDGE);
    register(w, 2, Ops.WRITABLE, Mode.EDGE);
    register(p, 3, Ops.PRIORITY, Mode.EDGE);
    register(rw, 4, Ops.READABLE | Ops.WRITABLE, Mode.EDGE);
    assertEquals(0, sim.submits.size(), "submitted by the polling thread, before its wait");
    assertEquals(0, selectNow());
    int close = Afd.AFD_POLL_LOCAL_CLOSE;
    assertEquals(READ_MASK | close, sim.submitsFor(r).get(0).events());
    assertEquals(WRITE_MASK | close, sim.submitsFor(w).get(0).events());
    assertEquals(Afd.AFD_POLL_RECEIVE_EXPEDITED | Afd.AFD_POLL_ABORT | Afd.AFD_POLL_CONNECT_FAIL
        | close, sim.submitsFor(p).get(0).events());
    assertEquals(READ_MASK | WRITE_MASK | close, sim.submitsFor(rw).get(0).events());
    for (Socket s : List.of(r, w, p, rw)) {
      assertEquals(Ntdll.STATUS_PENDING, sim.submitsFor(s).get(0).status());
      assertTrue(sim.hasPendingPoll(s));
    }
  }

  @Test
  void aSynchronousSuccessStillDeliversItsPacketAndOneEvent() throws IOException {
    Socket s = sim.newSocket();
    s.set(Afd.AFD_POLL_SEND); // a fresh connected socket: SEND completes at once
    register(s, 7, Ops.WRITABLE, Mode.EDGE);
    assertEquals(1, selectNow());
    assertOneEvent(7, Ops.WRITABLE);
    assertEquals(Ntdll.STATUS_SUCCESS, sim.submitsFor(s).get(0).status());
    assertEquals(0, selectNow(), "edge: reported once");
    assertEquals(1, sim.submitsFor(s).size(), "nothing armed, nothing submitted");
  }

  @Test
  void aPendingPollCompletesWhenDataArrives() throws IOException {
    Socket s = sim.newSocket();
    register(s, 9, Ops.READABLE, Mode.EDGE);
    assertEquals(0, selectNow());
    s.set(Afd.AFD_POLL_RECEIVE);
    assertEquals(1, selectNow());
    assertOneEvent(9, Ops.READABLE);
  }

  @Test
  void aListenerWithAPendingConnectionIsReadable() throws IOException {
    Socket s = sim.newSocket();
    register(s, 3, Ops.READABLE, Mode.LEVEL);
    assertEquals(0, selectNow());
    s.set(Afd.AFD_POLL_ACCEPT);
    assertEquals(1, selectNow());
    assertOneEvent(3, Ops.READABLE);
  }

  // ---- modes ------------------------------------------------------------------------------------

  @Test
  void levelModeReportsAgainWhileTheConditionHolds() throws IOException {
    Socket s = sim.newSocket();
    register(s, 5, Ops.READABLE, Mode.LEVEL);
    s.set(Afd.AFD_POLL_RECEIVE);
    assertEquals(1, selectNow());
    assertEquals(1, selectNow(), "re-armed after the completion; completes at once again");
    assertOneEvent(5, Ops.READABLE);
    s.clear(Afd.AFD_POLL_RECEIVE);
    assertEquals(0, selectNow());
    assertTrue(sim.hasPendingPoll(s));
  }

  @Test
  void edgeModeDropsReportedReadinessUntilAnIoCallWouldBlock() throws IOException {
    Socket s = sim.newSocket();
    SourceHandle h = register(s, 5, Ops.READABLE | Ops.WRITABLE, Mode.EDGE);
    s.set(Afd.AFD_POLL_RECEIVE | Afd.AFD_POLL_SEND);
    assertEquals(1, selectNow());
    assertOneEvent(5, Ops.READABLE | Ops.WRITABLE);
    assertEquals(0, selectNow(), "both directions reported: nothing armed");
    assertFalse(sim.hasPendingPoll(s));
    assertEquals(0, selector.armedOf(h.registration()));

    s.clear(Afd.AFD_POLL_RECEIVE); // the user read until would-block
    h.wouldBlock(Ops.READABLE);
    assertEquals(Ops.READABLE, selector.armedOf(h.registration()));
    assertEquals(0, selectNow());
    assertEquals(READ_MASK, sim.pendingMask(s), "only the direction that would block");
    s.raise(Afd.AFD_POLL_RECEIVE);
    assertEquals(1, selectNow());
    assertOneEvent(5, Ops.READABLE);
  }

  @Test
  void oneshotFiresOnceUntilReregistered() throws IOException {
    Socket s = sim.newSocket();
    SourceHandle h = register(s, 1, Ops.READABLE, Mode.ONESHOT);
    s.set(Afd.AFD_POLL_RECEIVE);
    assertEquals(1, selectNow());
    h.wouldBlock(Ops.READABLE); // no effect on a oneshot registration
    assertEquals(0, selectNow());
    assertFalse(sim.hasPendingPoll(s));
    h.reregister(selector, 2, Ops.READABLE, Mode.ONESHOT);
    assertEquals(1, selectNow());
    assertOneEvent(2, Ops.READABLE);
  }

  @Test
  void onlyTheDirectionsOfTheSourceAreAskedOfAfd() throws IOException {
    // A Pipe's read end on Windows: a loopback socket whose sends would not block.
    Socket s = sim.newSocket();
    s.set(Afd.AFD_POLL_SEND);
    SourceHandle h = handle(s);
    h.narrowDirections(Ops.READABLE);
    h.register(selector, 1, Ops.WRITABLE, Mode.LEVEL);
    assertEquals(0, selectNow());
    assertFalse(sim.hasPendingPoll(s), "nothing the source can have was asked for");
    assertEquals(0, selector.armedOf(h.registration()));
    h.wouldBlock(Ops.WRITABLE); // its own I/O never re-arms the other direction
    assertEquals(0, selector.armedOf(h.registration()));

    h.reregister(selector, 2, Ops.READABLE | Ops.WRITABLE, Mode.EDGE);
    assertEquals(0, selectNow());
    assertEquals(READ_MASK, sim.pendingMask(s), "the read mask alone");
    s.raise(Afd.AFD_POLL_RECEIVE);
    assertEquals(1, selectNow());
    assertOneEvent(2, Ops.READABLE);
    s.clear(Afd.AFD_POLL_RECEIVE);
    h.wouldBlock(Ops.READABLE | Ops.WRITABLE);
    assertEquals(Ops.READABLE, selector.armedOf(h.registration()));
  }

  // ---- races with a pending poll ---------------------------------------------------------------

  @Test
  void aMaskChangeWhilePendingCancelsThenResubmitsAfterTheCancelPacket() throws IOException {
    Socket s = sim.newSocket();
    SourceHandle h = register(s, 4, Ops.READABLE, Mode.EDGE);
    assertEquals(0, selectNow());
    h.reregister(selector, 4, Ops.READABLE | Ops.WRITABLE, Mode.EDGE);
    s.set(Afd.AFD_POLL_SEND); // not in the pending poll's mask
    assertEquals(0, selectNow(), "the wait sees only the STATUS_CANCELLED packet");
    assertEquals(1, sim.cancels.size());
    assertEquals(1, sim.submitsFor(s).size(), "no second poll before the cancel packet");
    assertEquals(1, selectNow());
    assertOneEvent(4, Ops.WRITABLE);
    assertEquals(READ_MASK | WRITE_MASK | Afd.AFD_POLL_LOCAL_CLOSE,
        sim.submitsFor(s).get(1).events());
  }

  @Test
  void narrowingTheMaskWhilePendingDoesNotCancel() throws IOException {
    Socket s = sim.newSocket();
    SourceHandle h = register(s, 4, Ops.READABLE | Ops.WRITABLE, Mode.LEVEL);
    assertEquals(0, selectNow());
    h.reregister(selector, 4, Ops.READABLE, Mode.LEVEL);
    assertEquals(0, selectNow());
    assertEquals(List.of(), sim.cancels, "the pending mask covers the new one");
    s.set(Afd.AFD_POLL_SEND);
    assertEquals(0, selectNow(), "the old mask completes, but writable is not of interest now");
    assertEquals(-1, sim.pendingMask(s), "re-armed before the next wait, not at once");
    assertEquals(0, selectNow());
    assertEquals(READ_MASK, sim.pendingMask(s), "re-armed with the new mask");
    assertEquals(2, sim.submitsFor(s).size());
  }

  @Test
  void aCancelThatRacesACompletionReportsTheCompletion() throws IOException {
    sim.cancelRacesCompletion = true;
    Socket s = sim.newSocket();
    SourceHandle h = register(s, 6, Ops.READABLE, Mode.EDGE);
    assertEquals(0, selectNow());
    h.reregister(selector, 6, Ops.READABLE | Ops.WRITABLE, Mode.EDGE);
    s.setSilently(Afd.AFD_POLL_RECEIVE);
    assertEquals(1, selectNow());
    assertOneEvent(6, Ops.READABLE);
    assertEquals(0, selectNow());
    assertEquals(WRITE_MASK, sim.pendingMask(s), "readable reported (edge), writable armed");
  }

  @Test
  void deregisterWhilePendingCancelsAndFreesTheBlockOnlyAfterItsPacket() throws IOException {
    Socket s = sim.newSocket();
    SourceHandle h = register(s, 8, Ops.READABLE, Mode.LEVEL);
    assertEquals(0, selectNow());
    h.deregister(selector);
    assertEquals(1, sim.cancels.size());
    assertEquals(1, sim.liveBlocks(), "the kernel still owns the poll's memory");
    s.set(Afd.AFD_POLL_RECEIVE);
    assertEquals(0, selectNow(), "no event for a deregistered token");
    assertEquals(0, sim.liveBlocks(), "freed once the cancel packet was dequeued");
    assertEquals(0, selectNow());
    assertEquals(1, sim.submitsFor(s).size());
  }

  @Test
  void deregisterAfterThePollCompletedButBeforeItsPacketWasDequeued() throws IOException {
    Socket s = sim.newSocket();
    SourceHandle h = register(s, 8, Ops.READABLE, Mode.LEVEL);
    assertEquals(0, selectNow());
    s.set(Afd.AFD_POLL_RECEIVE); // completes: the packet waits in the port
    h.deregister(selector);
    assertEquals(List.of(), sim.cancels, "a completed poll is not cancelled");
    assertEquals(1, sim.liveBlocks());
    assertEquals(0, selectNow(), "the completion's token is not reported");
    assertEquals(0, sim.liveBlocks());
  }

  @Test
  void deregisterWhileACancelIsInFlight() throws IOException {
    Socket s = sim.newSocket();
    SourceHandle h = register(s, 8, Ops.READABLE, Mode.LEVEL);
    assertEquals(0, selectNow());
    h.reregister(selector, 8, Ops.READABLE | Ops.WRITABLE, Mode.LEVEL);
    sim.cancelDelayMillis = 10_000; // the cancel packet stays away
    assertEquals(0, selectNow()); // cancels
    h.deregister(selector);
    assertEquals(1, sim.cancels.size(), "already cancelled: not cancelled twice");
    assertEquals(1, sim.liveBlocks());
    sim.cancelDelayMillis = 0;
    assertEquals(0, selectNow());
    assertEquals(0, sim.liveBlocks());
  }

  @Test
  void aSocketClosedUnderAPendingPollIsDroppedSilently() throws IOException {
    Socket s = sim.newSocket();
    SourceHandle h = register(s, 2, Ops.READABLE, Mode.LEVEL);
    assertEquals(0, selectNow());
    s.close(); // AFD_POLL_LOCAL_CLOSE
    assertEquals(0, selectNow());
    Registration r = h.registration();
    assertFalse(r.isLive());
    assertEquals(0, sim.liveBlocks());
    assertEquals(1, sim.submitsFor(s).size(), "not re-armed");
    NativeIOException e = assertThrows(NativeIOException.class,
        () -> h.reregister(selector, 2, Ops.READABLE, Mode.LEVEL));
    assertTrue(e.getMessage().contains("AFD_POLL_LOCAL_CLOSE"), e.getMessage());
    h.deregister(selector); // quietly: it is gone already
  }

  @Test
  void aSocketClosedBeforeItsFirstPollIsDroppedSilently() throws IOException {
    Socket s = sim.newSocket();
    SourceHandle h = register(s, 2, Ops.READABLE, Mode.LEVEL);
    s.close();
    assertEquals(0, selectNow());
    assertEquals(Ntdll.STATUS_INVALID_HANDLE, sim.submitsFor(s).get(0).status());
    assertFalse(h.registration().isLive());
    assertEquals(0, sim.liveBlocks());
    assertEquals(0, selectNow());
  }

  @Test
  void aReusedSocketValueKeepsTheNewRegistrationWhenTheOldOnesCloseArrives()
      throws IOException {
    Socket old = sim.newSocket();
    SourceHandle oldHandle = register(old, 1, Ops.READABLE, Mode.LEVEL);
    assertEquals(0, selectNow());
    old.close(); // its LOCAL_CLOSE packet is queued, not dequeued
    Socket reused = sim.newSocket(old.value);
    SourceHandle newHandle = register(reused, 2, Ops.READABLE, Mode.LEVEL);
    reused.set(Afd.AFD_POLL_RECEIVE);
    assertEquals(1, selectNow());
    assertOneEvent(2, Ops.READABLE);
    assertFalse(oldHandle.registration().isLive(), "the old registration is dropped");
    assertTrue(newHandle.registration().isLive(), "the new one is untouched");
    assertEquals(1, selectNow(), "and keeps working (level)");
    assertOneEvent(2, Ops.READABLE);
    reused.close();
    assertEquals(0, selectNow());
    assertFalse(newHandle.registration().isLive());
  }

  // ---- errors -----------------------------------------------------------------------------------

  @Test
  void aRefusedConnectIsAnErrorWithBothHalvesClosed() throws IOException {
    Socket s = sim.newSocket();
    register(s, 3, Ops.WRITABLE, Mode.EDGE);
    assertEquals(0, selectNow());
    s.connectFailed(SimulatedIocp.STATUS_CONNECTION_REFUSED);
    assertEquals(1, selectNow());
    assertOneEvent(3, Ops.WRITABLE | Ops.ERROR | Ops.READ_CLOSED | Ops.WRITE_CLOSED);
  }

  @Test
  void aPacketWithAnErrorStatusCountsAsAConnectFailure() throws IOException {
    Socket s = sim.newSocket();
    register(s, 3, Ops.READABLE, Mode.LEVEL);
    assertEquals(0, selectNow());
    s.failPoll(0xC000020C); // STATUS_CONNECTION_DISCONNECTED
    assertEquals(1, selectNow());
    assertOneEvent(3, Ops.READABLE | Ops.ERROR | Ops.READ_CLOSED | Ops.WRITE_CLOSED);
  }

  @Test
  void aRefusedPollIsReportedOnceAsAnErrorAndDisarmsUntilReregistered() throws IOException {
    Socket s = sim.newSocket();
    SourceHandle h = register(s, 4, Ops.READABLE, Mode.LEVEL);
    sim.failNextSubmit(SimulatedIocp.STATUS_BAD_DEVICE_TYPE); // some Wine builds (tokio#4781)
    assertEquals(1, selectNow());
    assertOneEvent(4, Ops.ERROR);
    assertEquals(0, selectNow());
    assertEquals(1, sim.submitsFor(s).size());
    h.reregister(selector, 4, Ops.READABLE, Mode.LEVEL);
    assertEquals(0, selectNow());
    assertTrue(sim.hasPendingPoll(s));
  }

  @Test
  void registeringSomethingThatIsNotASocketFailsWithWsaenotsock() {
    SourceHandle h = SourceHandle.borrowed(77, "handle");
    NativeIOException e = assertThrows(NativeIOException.class,
        () -> h.register(selector, 1, Ops.READABLE, Mode.EDGE));
    assertTrue(e.getMessage().startsWith("WSAIoctl(SIO_BASE_HANDLE) failed: WSAENOTSOCK ("),
        e.getMessage());
    assertEquals(10038, e.errno());
    assertEquals(0, sim.liveBlocks());
  }

  @Test
  void anAfdDeviceThatCannotBeOpenedFailsRegisterWithTheNtStatus() {
    sim.failNextCreateFile(0xC0000034);
    NativeIOException e = assertThrows(NativeIOException.class,
        () -> register(sim.newSocket(), 1, Ops.READABLE, Mode.EDGE));
    assertTrue(e.getMessage().startsWith(
        "NtCreateFile(\\Device\\Afd\\Poll4j) failed: STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034"),
        e.getMessage());
  }

  @Test
  void aLayeredProvidersSocketIsPolledThroughItsBaseSocket() throws IOException {
    Socket layered = sim.newLayeredSocket();
    register(layered, 5, Ops.READABLE, Mode.EDGE);
    assertEquals(0, selectNow());
    assertEquals(1, sim.submitsFor(layered.base).size());
    assertEquals(0, sim.submitsFor(layered).size());
    layered.base.set(Afd.AFD_POLL_RECEIVE);
    assertEquals(1, selectNow());
    assertOneEvent(5, Ops.READABLE);
  }

  // ---- AFD handles --------------------------------------------------------------------------------

  @Test
  void thirtyThreeSocketsShareTwoAfdHandlesAndFreedRoomIsReused() throws IOException {
    List<SourceHandle> handles = new ArrayList<>();
    for (int i = 0; i < 33; i++) {
      handles.add(register(sim.newSocket(), i, Ops.READABLE, Mode.LEVEL));
    }
    assertEquals(2, selector.afdHandleCount());
    assertEquals(0, selectNow()); // the simulator checks at most 32 polls per handle
    assertEquals(33, sim.outstanding());
    handles.get(0).deregister(selector);
    assertEquals(0, selectNow());
    register(sim.newSocket(), 99, Ops.READABLE, Mode.LEVEL);
    assertEquals(0, selectNow());
    assertEquals(2, selector.afdHandleCount());
  }

  // ---- waits, wake-ups, timeouts -----------------------------------------------------------------

  @Test
  void aWakeFromAnotherThreadEndsABlockedWait() throws Exception {
    Object waker = selector.attachWaker(99);
    CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return selector.select(events, -1);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    while (sim.waits.isEmpty()) {
      Thread.sleep(1);
    }
    selector.wakeWaker(waker);
    assertEquals(1, waiting.get(5, TimeUnit.SECONDS));
    assertOneEvent(99, Ops.READABLE);
    assertEquals(Iocp.INFINITE, (int) sim.waits.get(0));
  }

  @Test
  void registeringFromAnotherThreadTakesEffectInABlockedWait() throws Exception {
    CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return selector.select(events, -1);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    while (sim.waits.isEmpty()) {
      Thread.sleep(1);
    }
    Socket s = sim.newSocket();
    s.set(Afd.AFD_POLL_RECEIVE);
    register(s, 12, Ops.READABLE, Mode.EDGE);
    assertEquals(1, waiting.get(5, TimeUnit.SECONDS));
    assertOneEvent(12, Ops.READABLE);
  }

  @Test
  void aWaitWokenOnlyByACancellationKeepsWaitingForTheRestOfItsTimeout() throws IOException {
    Socket s = sim.newSocket();
    SourceHandle h = register(s, 1, Ops.READABLE, Mode.LEVEL);
    assertEquals(0, selectNow());
    h.reregister(selector, 1, Ops.READABLE | Ops.WRITABLE, Mode.LEVEL);
    sim.cancelDelayMillis = 50;
    int waitsBefore = sim.waits.size();
    long start = System.nanoTime();
    assertEquals(0, selector.select(events, TimeUnit.MILLISECONDS.toNanos(300)));
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(elapsed >= 300, "returned after " + elapsed + " ms");
    assertTrue(sim.waits.size() - waitsBefore >= 2, "waited again after the cancel packet");
    assertTrue(sim.hasPendingPoll(s), "and re-armed with the new mask in between");
    assertEquals(READ_MASK | WRITE_MASK, sim.pendingMask(s));
    sim.cancelDelayMillis = 0;
  }

  @Test
  void timeoutsAreRoundedUpToWholeMilliseconds() throws IOException {
    assertEquals(Iocp.INFINITE, IocpSelector.timeoutMillis(-1));
    assertEquals(0, IocpSelector.timeoutMillis(0));
    assertEquals(1, IocpSelector.timeoutMillis(1));
    assertEquals(1, IocpSelector.timeoutMillis(999_999));
    assertEquals(1, IocpSelector.timeoutMillis(1_000_000));
    assertEquals(2, IocpSelector.timeoutMillis(1_000_001));
    assertEquals(Integer.MAX_VALUE, IocpSelector.timeoutMillis(Long.MAX_VALUE));
    assertEquals(0, selector.select(events, 1_000));
    assertTrue(sim.waits.contains(1), "a 1 us wait asks for 1 ms: " + sim.waits);
  }

  @Test
  void waitsAskForNoMoreEntriesThanTheBufferHasRoom() throws IOException {
    EventBuffer small = new EventBuffer(2);
    for (int i = 0; i < 5; i++) {
      Socket s = sim.newSocket();
      s.set(Afd.AFD_POLL_RECEIVE);
      register(s, i, Ops.READABLE, Mode.EDGE);
    }
    int seen = 0;
    for (int round = 0; round < 5 && seen < 5; round++) {
      seen += selector.select(small, 0);
    }
    assertEquals(5, seen, "no completion lost when the buffer is smaller than the batch");
  }

  // ---- close ----------------------------------------------------------------------------------------

  @Test
  void closeCancelsClosesTheAfdHandlesAndDrainsBeforeItFrees() throws IOException {
    sim.cancelDelayMillis = 100; // cancellations complete late: close must wait for them
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Socket s = sim.newSocket();
      sockets.add(s);
      register(s, i, Ops.READABLE, Mode.LEVEL);
    }
    Socket closed = sim.newSocket();
    register(closed, 9, Ops.READABLE, Mode.LEVEL);
    assertEquals(0, selectNow());
    closed.close(); // a LOCAL_CLOSE packet waits in the port
    long afd = sim.afdHandles().get(0).value;
    selector.close(); // the simulator fails it if a block is freed before its packet
    assertEquals(List.of(), sim.violations());
    assertEquals(3, sim.cancels.size());
    assertEquals(List.of(afd, selector.port()), sim.closedHandles, "AFD handles, then the port");
    assertEquals(0, sim.liveBlocks());
    assertEquals(0, sim.outstanding());
  }

  @Test
  void closeIsIdempotentAndRefusesLaterUse() throws IOException {
    register(sim.newSocket(), 1, Ops.READABLE, Mode.LEVEL);
    assertEquals(0, selectNow());
    selector.close();
    selector.close();
    assertThrows(IllegalStateException.class, () -> selector.select(events, 0));
    assertEquals(2, sim.closedHandles.size());
  }

  // ---- translation ----------------------------------------------------------------------------------

  @Test
  void afdEventsTranslateAsMioDoes() {
    int all = Ops.ALL_INTEREST;
    assertEquals(Ops.READABLE, IocpSelector.translate(Afd.AFD_POLL_RECEIVE, all));
    assertEquals(Ops.READABLE, IocpSelector.translate(Afd.AFD_POLL_ACCEPT, all));
    assertEquals(Ops.READABLE | Ops.READ_CLOSED,
        IocpSelector.translate(Afd.AFD_POLL_DISCONNECT, all));
    assertEquals(Ops.WRITABLE, IocpSelector.translate(Afd.AFD_POLL_SEND, all));
    assertEquals(Ops.PRIORITY, IocpSelector.translate(Afd.AFD_POLL_RECEIVE_EXPEDITED, all));
    int reset = Ops.READABLE | Ops.WRITABLE | Ops.READ_CLOSED | Ops.WRITE_CLOSED;
    assertEquals(reset, IocpSelector.translate(Afd.AFD_POLL_ABORT, all));
    assertEquals(reset, IocpSelector.translate(Afd.AFD_POLL_ABORT | Afd.AFD_POLL_SEND, all),
        "0x014, the poll after a reset (observed under Wine)");
    assertEquals(reset | Ops.ERROR, IocpSelector.translate(Afd.AFD_POLL_CONNECT_FAIL, all));
  }

  @Test
  void translationIsLimitedToTheArmedDirectionsButKeepsErrorAndClosed() {
    assertEquals(0, IocpSelector.translate(Afd.AFD_POLL_RECEIVE, Ops.WRITABLE));
    assertEquals(0, IocpSelector.translate(Afd.AFD_POLL_SEND, Ops.READABLE));
    assertEquals(Ops.READ_CLOSED | Ops.WRITE_CLOSED,
        IocpSelector.translate(Afd.AFD_POLL_ABORT, Ops.PRIORITY));
    assertEquals(Ops.WRITABLE | Ops.ERROR | Ops.READ_CLOSED | Ops.WRITE_CLOSED,
        IocpSelector.translate(Afd.AFD_POLL_CONNECT_FAIL, Ops.WRITABLE));
  }

  @Test
  void masksNeverAskForConnectAndAreEmptyWhenNothingIsArmed() {
    assertEquals(0, IocpSelector.afdMask(0));
    for (int armed = 1; armed <= Ops.ALL_INTEREST; armed++) {
      int mask = IocpSelector.afdMask(armed);
      assertEquals(0, mask & Afd.AFD_POLL_CONNECT, Ops.toString(armed));
      assertEquals(Afd.AFD_POLL_ABORT | Afd.AFD_POLL_CONNECT_FAIL,
          mask & (Afd.AFD_POLL_ABORT | Afd.AFD_POLL_CONNECT_FAIL), Ops.toString(armed));
    }
    assertEquals(READ_MASK, IocpSelector.afdMask(Ops.READABLE));
    assertEquals(WRITE_MASK, IocpSelector.afdMask(Ops.WRITABLE));
  }

  // ---- the simulator can fail a test ---------------------------------------------------------

  // A poll request for `socket` in fresh simulated memory, the way the selector writes one.
  private long[] pollRequest(long socket) {
    long block = sim.allocate(IocpSelector.BLOCK_SIZE);
    Pointer p = new Pointer(block);
    p.setInt(IocpSelector.BLOCK_IOSB, Ntdll.STATUS_PENDING);
    long info = block + IocpSelector.BLOCK_INFO;
    Pointer i = new Pointer(info);
    i.setLong(Afd.OFFSET_TIMEOUT, Long.MAX_VALUE);
    i.setInt(Afd.OFFSET_NUMBER_OF_HANDLES, 1);
    i.setLong(Afd.OFFSET_HANDLES + Afd.OFFSET_HANDLE_INFO_HANDLE, socket);
    i.setInt(Afd.OFFSET_HANDLES + Afd.OFFSET_HANDLE_INFO_EVENTS,
        READ_MASK | Afd.AFD_POLL_LOCAL_CLOSE);
    return new long[] {block, info};
  }

  @Test
  void theSimulatorFailsASecondOutstandingPollForOneSocket() throws IOException {
    Socket s = sim.newSocket();
    register(s, 1, Ops.READABLE, Mode.LEVEL);
    assertEquals(0, selectNow());
    long[] req = pollRequest(s.value);
    violationsExpected = true;
    AssertionError e = assertThrows(AssertionError.class,
        () -> sim.ntDeviceIoControlFile(sim.afdHandles().get(0).value, 12345, req[0],
            Afd.IOCTL_AFD_POLL, req[1], 32, req[1], 32));
    assertTrue(e.getMessage().contains("a second AFD poll"), e.getMessage());
  }

  @Test
  void theSimulatorFailsMemoryFreedWhileTheKernelOwnsIt() throws IOException {
    register(sim.newSocket(), 1, Ops.READABLE, Mode.LEVEL); // opens the AFD handle
    Socket other = sim.newSocket();
    long[] req = pollRequest(other.value);
    assertEquals(Ntdll.STATUS_PENDING, sim.ntDeviceIoControlFile(sim.afdHandles().get(0).value,
        12345, req[0], Afd.IOCTL_AFD_POLL, req[1], 32, req[1], 32));
    violationsExpected = true;
    AssertionError e = assertThrows(AssertionError.class, () -> sim.free(req[0]));
    assertTrue(e.getMessage().contains("memory freed while the kernel owns it"), e.getMessage());
  }

  @Test
  void theSimulatorQueuesNoPacketForASynchronousSuccessWithSkipOnSuccess() throws IOException {
    // What Windows does with FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, which the selector never sets.
    register(sim.newSocket(), 1, Ops.READABLE, Mode.LEVEL);
    long afd = sim.afdHandles().get(0).value;
    assertTrue(sim.setFileCompletionNotificationModes(afd,
        Iocp.FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | Iocp.FILE_SKIP_SET_EVENT_ON_HANDLE));
    Socket other = sim.newSocket();
    other.set(Afd.AFD_POLL_RECEIVE);
    long[] req = pollRequest(other.value);
    assertEquals(Ntdll.STATUS_SUCCESS, sim.ntDeviceIoControlFile(afd, 12345, req[0],
        Afd.IOCTL_AFD_POLL, req[1], 32, req[1], 32));
    assertEquals(0, sim.queuedPackets());
    sim.free(req[0]);
    assertTrue(sim.setFileCompletionNotificationModes(afd, Iocp.FILE_SKIP_SET_EVENT_ON_HANDLE));
  }
}
