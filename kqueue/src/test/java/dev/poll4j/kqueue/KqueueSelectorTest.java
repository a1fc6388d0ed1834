package dev.poll4j.kqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.poll4j.Mode;
import dev.poll4j.NativeIOException;
import dev.poll4j.kqueue.SimulatedKqueue.Change;
import dev.poll4j.kqueue.SimulatedKqueue.Fd;
import dev.poll4j.kqueue.sys.KeventLayout;
import dev.poll4j.kqueue.sys.Kqueue;
import dev.poll4j.spi.EventBuffer;
import dev.poll4j.spi.Ops;
import dev.poll4j.spi.SourceHandle;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** KqueueSelector's logic against a simulated kqueue (macOS layout unless a test says else). */
class KqueueSelectorTest {
  private static final int ECONNRESET_BSD = 54;
  private SimulatedKqueue sim;
  private KqueueSelector selector;
  private final EventBuffer events = new EventBuffer(16);

  private KqueueSelector open(KeventLayout layout) throws IOException {
    sim = new SimulatedKqueue(layout);
    selector = new KqueueSelector(sim, layout, layout.hasUserFilter());
    return selector;
  }

  @AfterEach
  void closeSelector() throws IOException {
    if (selector != null) {
      selector.close();
    }
  }

  private static SourceHandle handle(Fd fd) {
    return SourceHandle.borrowed(fd.number, "fd");
  }

  private int selectNow() throws IOException {
    return selector.select(events, 0);
  }

  private Change lastChange(int index) {
    List<SimulatedKqueue.Call> calls = sim.changeCalls();
    return calls.get(calls.size() - 1).changes().get(index);
  }

  @Test
  void registerSendsBothFiltersInOneReceiptBatchWithTheModeFlag() throws IOException {
    open(KeventLayout.MACOS);
    int before = sim.changeCalls().size();
    Fd fd = sim.newFd();
    handle(fd).register(selector, 7, Ops.READABLE | Ops.WRITABLE, Mode.EDGE);
    List<SimulatedKqueue.Call> calls = sim.changeCalls();
    assertEquals(before + 1, calls.size());
    SimulatedKqueue.Call call = calls.get(calls.size() - 1);
    assertEquals(2, call.changes().size());
    assertEquals(2, call.nevents(), "the change array doubles as the receipt array");
    assertFalse(call.timed());
    for (Change c : call.changes()) {
      assertEquals(Kqueue.EV_ADD | Kqueue.EV_CLEAR | Kqueue.EV_RECEIPT, c.flags());
      assertEquals(fd.number, c.ident());
    }
    assertEquals(KeventLayout.MACOS.evfiltWrite(), call.changes().get(0).filter());
    assertEquals(KeventLayout.MACOS.evfiltRead(), call.changes().get(1).filter());
  }

  @Test
  void modesMapToClearOneshotOrNothing() throws IOException {
    open(KeventLayout.MACOS);
    handle(sim.newFd()).register(selector, 1, Ops.READABLE, Mode.LEVEL);
    assertEquals(Kqueue.EV_ADD | Kqueue.EV_RECEIPT, lastChange(0).flags());
    handle(sim.newFd()).register(selector, 2, Ops.READABLE, Mode.ONESHOT);
    assertEquals(Kqueue.EV_ADD | Kqueue.EV_ONESHOT | Kqueue.EV_RECEIPT, lastChange(0).flags());
    handle(sim.newFd()).register(selector, 3, Ops.READABLE, Mode.EDGE);
    assertEquals(Kqueue.EV_ADD | Kqueue.EV_CLEAR | Kqueue.EV_RECEIPT, lastChange(0).flags());
  }

  @Test
  void priorityAloneAddsNoFilter() throws IOException {
    open(KeventLayout.MACOS);
    int before = sim.changeCalls().size();
    Fd fd = sim.newFd();
    handle(fd).register(selector, 1, Ops.PRIORITY, Mode.EDGE);
    assertEquals(before, sim.changeCalls().size());
    fd.set(true, true);
    assertEquals(0, selectNow());
  }

  @Test
  void eventsCarryTheTokenAndTranslatedReadiness() throws IOException {
    open(KeventLayout.MACOS);
    Fd fd = sim.newFd();
    handle(fd).register(selector, 42, Ops.READABLE | Ops.WRITABLE, Mode.LEVEL);
    fd.set(true, false);
    assertEquals(1, selectNow());
    assertEquals(42, events.token(0));
    assertEquals(Ops.READABLE, events.ready(0));
    fd.set(false, true);
    assertEquals(1, selectNow());
    assertEquals(Ops.WRITABLE, events.ready(0));
    fd.set(false, false);
    fd.eofRead(0);
    assertEquals(1, selectNow());
    assertEquals(Ops.READABLE | Ops.READ_CLOSED, events.ready(0));
  }

  @Test
  void eofWithSocketErrorIsAnError() throws IOException {
    open(KeventLayout.MACOS);
    Fd fd = sim.newFd();
    handle(fd).register(selector, 5, Ops.READABLE, Mode.EDGE);
    fd.eofRead(ECONNRESET_BSD);
    assertEquals(1, selectNow());
    assertEquals(
        Ops.READABLE | Ops.READ_CLOSED | Ops.ERROR | Ops.WRITE_CLOSED, events.ready(0));
  }

  @Test
  void writeEofIsWriteClosed() throws IOException {
    open(KeventLayout.FREEBSD);
    Fd fd = sim.newFd();
    handle(fd).register(selector, 5, Ops.WRITABLE, Mode.EDGE);
    assertEquals(0, selectNow());
    fd.eofWrite(0);
    assertEquals(1, selectNow());
    assertEquals(Ops.WRITABLE | Ops.WRITE_CLOSED, events.ready(0));
  }

  @Test
  void edgeReportsOnceLevelRepeatsOneshotFiresOnceUntilRearmed() throws IOException {
    open(KeventLayout.MACOS);
    Fd edge = sim.newFd();
    Fd level = sim.newFd();
    Fd oneshot = sim.newFd();
    handle(edge).register(selector, 1, Ops.READABLE, Mode.EDGE);
    SourceHandle lh = handle(level);
    lh.register(selector, 2, Ops.READABLE, Mode.LEVEL);
    SourceHandle oh = handle(oneshot);
    oh.register(selector, 3, Ops.READABLE, Mode.ONESHOT);
    edge.set(true, false);
    level.set(true, false);
    oneshot.set(true, false);
    assertEquals(3, selectNow());
    assertEquals(1, selectNow(), "only level repeats");
    assertEquals(2, events.token(0));
    assertFalse(sim.hasKnote(oneshot.number, KeventLayout.MACOS.evfiltRead()));
    oh.reregister(selector, 3, Ops.READABLE, Mode.ONESHOT);
    assertEquals(2, selectNow(), "re-armed oneshot fires again");
    edge.set(true, false); // new readiness
    assertEquals(2, selectNow());
  }

  @Test
  void deregisteredSourceNeverReturnsItsToken() throws IOException {
    open(KeventLayout.MACOS);
    Fd fd = sim.newFd();
    SourceHandle h = handle(fd);
    h.register(selector, 9, Ops.READABLE | Ops.WRITABLE, Mode.LEVEL);
    fd.set(true, true);
    h.deregister(selector);
    assertEquals(0, selectNow());
    assertFalse(sim.hasKnote(fd.number, KeventLayout.MACOS.evfiltRead()));
    assertFalse(sim.hasKnote(fd.number, KeventLayout.MACOS.evfiltWrite()));
    Change del = lastChange(0);
    assertEquals(Kqueue.EV_DELETE | Kqueue.EV_RECEIPT, del.flags());
  }

  @Test
  void eventsAlreadyOutOfTheKernelForADeadSlotAreDropped() throws IOException {
    open(KeventLayout.MACOS);
    Fd a = sim.newFd();
    SourceHandle ha = handle(a);
    ha.register(selector, 1, Ops.READABLE, Mode.LEVEL);
    long staleUdata = sim.knote(a.number, KeventLayout.MACOS.evfiltRead()).udata;
    ha.deregister(selector);
    Fd b = sim.newFd();
    handle(b).register(selector, 2, Ops.READABLE, Mode.LEVEL);
    long freshUdata = sim.knote(b.number, KeventLayout.MACOS.evfiltRead()).udata;
    assertEquals((int) staleUdata, (int) freshUdata, "the slot is reused");
    assertTrue(staleUdata != freshUdata, "with a new generation");
    b.set(true, false);
    // Deliver an event with the stale udata, as if it had left the kernel before deregister.
    sim.knote(b.number, KeventLayout.MACOS.evfiltRead()).udata = staleUdata;
    assertEquals(0, selectNow());
  }

  @Test
  void deregisterIgnoresEnoentOfAFilterThatWasNeverAdded() throws IOException {
    open(KeventLayout.MACOS);
    Fd fd = sim.newFd();
    SourceHandle h = handle(fd);
    h.register(selector, 1, Ops.READABLE, Mode.ONESHOT);
    fd.set(true, false);
    assertEquals(1, selectNow()); // the oneshot READ filter is gone, WRITE never existed
    h.deregister(selector);
  }

  @Test
  void reregisterIgnoresEnoentAndMovesFilters() throws IOException {
    open(KeventLayout.MACOS);
    KeventLayout l = KeventLayout.MACOS;
    Fd fd = sim.newFd();
    SourceHandle h = handle(fd);
    h.register(selector, 1, Ops.READABLE, Mode.EDGE);
    h.reregister(selector, 2, Ops.WRITABLE, Mode.EDGE);
    assertFalse(sim.hasKnote(fd.number, l.evfiltRead()));
    assertTrue(sim.hasKnote(fd.number, l.evfiltWrite()));
    fd.set(false, true);
    assertEquals(1, selectNow());
    assertEquals(2, events.token(0));
    assertEquals(Ops.WRITABLE, events.ready(0));
  }

  @Test
  void reregisterWithANewModeDeletesThenAdds() throws IOException {
    open(KeventLayout.MACOS);
    KeventLayout l = KeventLayout.MACOS;
    Fd fd = sim.newFd();
    SourceHandle h = handle(fd);
    h.register(selector, 1, Ops.READABLE, Mode.EDGE);
    h.reregister(selector, 1, Ops.READABLE, Mode.LEVEL);
    List<Change> batch = sim.changeCalls().get(sim.changeCalls().size() - 1).changes();
    assertEquals(3, batch.size(), batch.toString()); // DELETE WRITE, DELETE READ, ADD READ
    assertEquals(Kqueue.EV_DELETE | Kqueue.EV_RECEIPT, batch.get(1).flags());
    assertEquals(Kqueue.EV_ADD | Kqueue.EV_RECEIPT, batch.get(2).flags());
    assertEquals(0, sim.knote(fd.number, l.evfiltRead()).flags & Kqueue.EV_CLEAR);
    fd.set(true, false);
    assertEquals(1, selectNow());
    assertEquals(1, selectNow(), "level now");
  }

  @Test
  void addErrorSurfacesAsKeventEvAddAndTakesBackTheOtherFilter() throws IOException {
    open(KeventLayout.MACOS);
    Fd fd = sim.newFd();
    sim.forceError(fd.number, KeventLayout.MACOS.evfiltRead(), SimulatedKqueue.EBADF);
    SourceHandle h = handle(fd);
    NativeIOException e = assertThrows(NativeIOException.class,
        () -> h.register(selector, 1, Ops.READABLE | Ops.WRITABLE, Mode.EDGE));
    assertEquals("kevent(EV_ADD)", e.call());
    assertEquals(SimulatedKqueue.EBADF, e.errno());
    assertTrue(e.getMessage().contains("EVFILT_READ"), e.getMessage());
    assertFalse(sim.hasKnote(fd.number, KeventLayout.MACOS.evfiltWrite()));
    assertNull(h.registration());
  }

  @Test
  @DisabledOnOs(
      value = OS.WINDOWS,
      disabledReason =
          "poll4j names errors after the host's errno table; on Windows that is Winsock's, which"
              + " has no EEXIST")
  void aSecondSourceForARegisteredDescriptorIsRefusedWithEexistAndTheFirstKeepsItsEvents()
      throws IOException {
    open(KeventLayout.MACOS);
    Fd fd = sim.newFd();
    handle(fd).register(selector, 1, Ops.READABLE, Mode.LEVEL);
    int calls = sim.changeCalls().size();
    SourceHandle second = handle(fd);
    NativeIOException e = assertThrows(NativeIOException.class,
        () -> second.register(selector, 2, Ops.READABLE, Mode.LEVEL));
    assertEquals("EEXIST", e.errnoName());
    assertTrue(e.getMessage().contains("already registered"), e.getMessage());
    assertEquals(calls, sim.changeCalls().size(), "nothing reached the kernel");
    assertNull(second.registration());
    fd.set(true, false);
    assertEquals(1, selectNow());
    assertEquals(1, events.token(0), "the first registration still owns the descriptor");
  }

  @Test
  void aDescriptorIsFreeForANewSourceOnceDeregistered() throws IOException {
    open(KeventLayout.MACOS);
    Fd fd = sim.newFd();
    SourceHandle first = handle(fd);
    first.register(selector, 1, Ops.READABLE, Mode.LEVEL);
    first.deregister(selector);
    handle(fd).register(selector, 2, Ops.READABLE, Mode.LEVEL);
    fd.set(true, false);
    assertEquals(1, selectNow());
    assertEquals(2, events.token(0));
  }

  @Test
  void enoentOnAddIsNotIgnored() throws IOException {
    open(KeventLayout.MACOS);
    Fd fd = sim.newFd();
    sim.forceError(fd.number, KeventLayout.MACOS.evfiltRead(), SimulatedKqueue.ENOENT);
    NativeIOException e = assertThrows(NativeIOException.class,
        () -> handle(fd).register(selector, 1, Ops.READABLE, Mode.EDGE));
    assertEquals("kevent(EV_ADD)", e.call());
    assertEquals(SimulatedKqueue.ENOENT, e.errno());
  }

  @Test
  void deleteErrorOtherThanEnoentSurfacesAsKeventEvDelete() throws IOException {
    open(KeventLayout.MACOS);
    Fd fd = sim.newFd();
    SourceHandle h = handle(fd);
    h.register(selector, 1, Ops.READABLE, Mode.EDGE);
    sim.forceError(fd.number, KeventLayout.MACOS.evfiltRead(), SimulatedKqueue.EPIPE);
    NativeIOException e = assertThrows(NativeIOException.class, () -> h.deregister(selector));
    assertEquals("kevent(EV_DELETE)", e.call());
    assertEquals(SimulatedKqueue.EPIPE, e.errno());
  }

  @Test
  void epipeFromAddingAWriteFilterToAPipeWithoutReaderIsIgnored() throws IOException {
    open(KeventLayout.MACOS);
    sim.epipeOnClosedPipe = true;
    Fd[] p = sim.newPipe();
    sim.close(p[0].number);
    handle(p[1]).register(selector, 4, Ops.WRITABLE, Mode.EDGE);
    assertEquals(1, selectNow());
    assertEquals(4, events.token(0));
    assertEquals(Ops.WRITABLE | Ops.WRITE_CLOSED, events.ready(0));
  }

  @Test
  void freebsdStyleReceiptsWithBareFlagsAreMatchedByPosition() throws IOException {
    open(KeventLayout.FREEBSD);
    sim.bareReceiptFlags = true;
    Fd fd = sim.newFd();
    SourceHandle h = handle(fd);
    h.register(selector, 1, Ops.READABLE, Mode.EDGE);
    h.deregister(selector); // ENOENT for WRITE, in a receipt without EV_DELETE: still ignored
    Fd other = sim.newFd();
    sim.forceError(other.number, KeventLayout.FREEBSD.evfiltWrite(), SimulatedKqueue.ENOENT);
    SourceHandle oh = handle(other);
    oh.register(selector, 2, Ops.READABLE, Mode.EDGE);
    oh.deregister(selector); // the forced ENOENT is on a delete here
    NativeIOException e = assertThrows(NativeIOException.class,
        () -> oh.register(selector, 2, Ops.WRITABLE, Mode.EDGE));
    assertEquals("kevent(EV_ADD)", e.call());
  }

  @Test
  void eintrFromAChangeCallCountsAsApplied() throws IOException {
    open(KeventLayout.MACOS);
    Fd fd = sim.newFd();
    sim.failNextKevent(SimulatedKqueue.EINTR);
    SourceHandle h = handle(fd);
    h.register(selector, 1, Ops.READABLE, Mode.EDGE);
    assertNotNull(h.registration());
  }

  @Test
  void eintrFromAWaitIsNotAnError() throws IOException {
    open(KeventLayout.MACOS);
    sim.failNextKevent(SimulatedKqueue.EINTR);
    assertEquals(0, selectNow());
  }

  @Test
  void waitFailureNamesKevent() throws IOException {
    open(KeventLayout.MACOS);
    sim.failNextKevent(SimulatedKqueue.EBADF);
    NativeIOException e = assertThrows(NativeIOException.class, this::selectNow);
    assertEquals("kevent", e.call());
  }

  @Test
  void timeoutsAreNanosecondTimespecsAndForeverIsNull() throws IOException {
    open(KeventLayout.MACOS);
    assertEquals(0, selector.select(events, 1_500_000));
    SimulatedKqueue.Call last = sim.calls.get(sim.calls.size() - 1);
    assertTrue(last.timed());
    assertEquals(0, selectNow());
    assertTrue(sim.calls.get(sim.calls.size() - 1).timed(), "ZERO is {0, 0}, not NULL");
    Object waker = selector.attachWaker(77);
    CompletableFuture.runAsync(() -> {
      sleep(50);
      selector.wakeWaker(waker);
    });
    assertEquals(1, selector.select(events, -1));
    boolean sawUntimed = false;
    for (SimulatedKqueue.Call c : sim.calls) {
      sawUntimed |= c.changes().isEmpty() && !c.timed();
    }
    assertTrue(sawUntimed, "a wait without limit passes NULL");
  }

  @Test
  void wakerUsesEvfiltUserTriggerWithoutEvAdd() throws Exception {
    open(KeventLayout.FREEBSD);
    assertTrue(selector.usesUserFilter());
    Change setup = sim.changeCalls().get(0).changes().get(0);
    assertEquals(KeventLayout.FREEBSD.evfiltUser(), setup.filter());
    assertEquals(Kqueue.EV_ADD | Kqueue.EV_CLEAR | Kqueue.EV_RECEIPT, setup.flags());
    Object waker = selector.attachWaker(77);
    CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(() -> select(-1));
    sleep(50);
    selector.wakeWaker(waker);
    assertEquals(1, polled.get(5, TimeUnit.SECONDS));
    assertEquals(77, events.token(0));
    assertEquals(Ops.READABLE, events.ready(0));
    Change trigger = lastChange(0);
    assertEquals(Kqueue.EV_RECEIPT, trigger.flags());
    assertEquals(Kqueue.NOTE_TRIGGER, trigger.fflags());
    assertEquals(0, selectNow(), "EV_CLEAR: the trigger is consumed");
    selector.wakeWaker(waker);
    selector.wakeWaker(waker);
    assertEquals(1, selectNow(), "wakes coalesce");
    assertEquals(0, selectNow());
  }

  @Test
  void wakerFallsBackToAPipeWithoutEvfiltUser() throws Exception {
    KeventLayout openbsd77 = KeventLayout.forPlatform("OpenBSD", "7.7", "amd64");
    assertFalse(openbsd77.hasUserFilter());
    open(openbsd77);
    assertFalse(selector.usesUserFilter());
    Object waker = selector.attachWaker(5);
    for (int round = 0; round < 3; round++) {
      CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(() -> select(-1));
      sleep(20);
      selector.wakeWaker(waker);
      assertEquals(1, polled.get(5, TimeUnit.SECONDS), "round " + round);
      assertEquals(5, events.token(0));
      assertEquals(0, sim.bufferedBytes(), "the pipe was drained");
      assertEquals(0, selectNow());
    }
    for (SimulatedKqueue.Call c : sim.calls) {
      for (Change ch : c.changes()) {
        assertTrue(ch.filter() != openbsd77.evfiltUser(), "no EVFILT_USER on OpenBSD 7.7");
      }
    }
  }

  @Test
  void registeringFromAnotherThreadTakesEffectInABlockedSelect() throws Exception {
    open(KeventLayout.MACOS);
    Fd fd = sim.newFd();
    fd.set(true, false);
    CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(() -> select(5_000_000_000L));
    sleep(50);
    assertFalse(polled.isDone());
    handle(fd).register(selector, 11, Ops.READABLE, Mode.EDGE);
    assertEquals(1, polled.get(5, TimeUnit.SECONDS));
    assertEquals(11, events.token(0));
  }

  @Test
  void closeWakesABlockedSelectAndWaitsForIt() throws Exception {
    open(KeventLayout.MACOS);
    CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(() -> select(-1));
    sleep(50);
    assertFalse(polled.isDone());
    selector.close();
    assertEquals(0, polled.get(5, TimeUnit.SECONDS));
    assertEquals(0, sim.openCount());
  }

  @Test
  void fullWakePipeIsNotAnError() throws IOException {
    open(KeventLayout.forPlatform("NetBSD", "9.3", "amd64"));
    sim.pipeCapacity = 1;
    selector.wakeup();
    selector.wakeup(); // coalesced anyway
    assertEquals(0, selectNow());
  }

  @Test
  void netbsdLayoutRunsTheSameLogic() throws IOException {
    open(KeventLayout.NETBSD_10);
    Fd fd = sim.newFd();
    handle(fd).register(selector, 3, Ops.READABLE | Ops.WRITABLE, Mode.EDGE);
    assertEquals(0, lastChange(1).filter(), "NetBSD's EVFILT_READ is 0");
    fd.eofRead(0);
    assertEquals(1, selectNow());
    assertEquals(Ops.READABLE | Ops.READ_CLOSED, events.ready(0));
  }

  @Test
  void closeReleasesEveryDescriptorAndIsIdempotent() throws IOException {
    for (KeventLayout l : new KeventLayout[] {KeventLayout.MACOS, KeventLayout.OPENBSD}) {
      open(l);
      assertEquals(l.hasUserFilter() ? 1 : 3, sim.openCount());
      selector.close();
      selector.close();
      assertEquals(0, sim.openCount(), l.toString());
      assertThrows(IllegalStateException.class, this::selectNow);
    }
  }

  @Test
  void kqueueFailureIsReported() {
    SimulatedKqueue s = new SimulatedKqueue(KeventLayout.MACOS);
    s.failKqueue(SimulatedKqueue.EMFILE);
    NativeIOException e = assertThrows(NativeIOException.class,
        () -> new KqueueSelector(s, KeventLayout.MACOS, true));
    assertEquals("kqueue", e.call());
    assertEquals(SimulatedKqueue.EMFILE, e.errno());
  }

  @Test
  void userFilterIsRefusedWhereTheOsLacksIt() {
    SimulatedKqueue s = new SimulatedKqueue(KeventLayout.OPENBSD);
    assertThrows(IllegalArgumentException.class,
        () -> new KqueueSelector(s, KeventLayout.OPENBSD, true));
  }

  @Test
  void translateMatchesMio() {
    KeventLayout l = KeventLayout.MACOS;
    int rw = Ops.READABLE | Ops.WRITABLE;
    assertEquals(Ops.READABLE, KqueueSelector.translate(l, l.evfiltRead(), 0, 0, rw));
    assertEquals(Ops.WRITABLE, KqueueSelector.translate(l, l.evfiltWrite(), 0, 0, rw));
    assertEquals(Ops.READABLE | Ops.READ_CLOSED,
        KqueueSelector.translate(l, l.evfiltRead(), Kqueue.EV_EOF, 0, rw));
    assertEquals(Ops.WRITABLE | Ops.WRITE_CLOSED,
        KqueueSelector.translate(l, l.evfiltWrite(), Kqueue.EV_EOF, 0, rw));
    assertEquals(Ops.WRITABLE | Ops.ERROR | Ops.WRITE_CLOSED,
        KqueueSelector.translate(l, l.evfiltWrite(), Kqueue.EV_ERROR, 0, rw));
    assertEquals(0, KqueueSelector.translate(l, l.evfiltRead(), 0, 0, Ops.WRITABLE),
        "a stale filter outside the interest reports nothing");
    assertEquals(Ops.ERROR | Ops.WRITE_CLOSED | Ops.READ_CLOSED,
        KqueueSelector.translate(l, l.evfiltRead(), Kqueue.EV_EOF, 61, Ops.WRITABLE),
        "an error is never dropped");
  }

  private int select(long timeout) {
    try {
      return selector.select(events, timeout);
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
