package dev.poll4j.kqueue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.poll4j.Mode;
import dev.poll4j.internal.posix.Errors;
import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.Os;
import dev.poll4j.kqueue.sys.KeventLayout;
import dev.poll4j.kqueue.sys.Kqueue;
import dev.poll4j.spi.BackendSelector;
import dev.poll4j.spi.EventBuffer;
import dev.poll4j.spi.Ops;
import dev.poll4j.spi.Registration;
import dev.poll4j.spi.RegistrationTable;
import dev.poll4j.spi.SourceHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The kqueue selector.
 *
 * <p>Each direction is its own filter: {@link Ops#READABLE} is {@code EVFILT_READ}, {@link
 * Ops#WRITABLE} is {@code EVFILT_WRITE}; {@link Ops#PRIORITY} has no kqueue filter and is accepted
 * and ignored, as in mio and polling. Modes are native: {@link Mode#EDGE} is {@code EV_CLEAR},
 * {@link Mode#ONESHOT} is {@code EV_ONESHOT}, {@link Mode#LEVEL} is neither.
 *
 * <p>Changes go to the kernel in one {@code kevent} call per operation, each with {@code
 * EV_RECEIPT}, and the change array doubles as the receipt array with the same count (so pending
 * events are never drained by a change call). Receipt {@code i} answers change {@code i}; FreeBSD
 * overwrites the flags of a receipt with a bare {@code EV_ERROR}, so the selector remembers which
 * operation it sent. An errno in a receipt fails the operation as {@code kevent(EV_ADD)} or {@code
 * kevent(EV_DELETE)}, except exactly these, as in mio and polling: {@code EPIPE} from an add
 * (older macOS refuses a pipe whose reader is gone, then still reports its events; mio#582) and
 * {@code ENOENT} from a delete (the filter was not there: not asked for, or a fired oneshot).
 * Reregister deletes a filter no longer wanted, and deletes then re-adds one whose mode changes,
 * because whether {@code EV_ADD} on an existing filter changes its {@code EV_CLEAR}/{@code
 * EV_ONESHOT} differs between kernels. {@code EINTR} from a change call means every change was
 * applied (FreeBSD's kevent(2)), as mio treats it.
 *
 * <p>What travels in {@code udata}: a registration slot, {@code generation << 32 | index}, as in
 * the epoll selector and for the same reasons: an event that raced a deregistration (or a slot's
 * reuse) is dropped, so after {@code deregister} returns no select reports the old token, and a
 * reregister that changes only the token needs no kernel call's help to take effect.
 *
 * <p>Event translation ({@link #translate}): {@code EVFILT_READ} gives readable, plus read-closed
 * on {@code EV_EOF}; {@code EVFILT_WRITE} gives writable, plus write-closed on {@code EV_EOF}; an
 * {@code EV_ERROR} entry, or {@code EV_EOF} with a socket error in {@code fflags}, gives error and
 * write-closed (as {@code Readiness.translate} does for {@code ERR}).
 *
 * <p>Wake-ups: {@code EVFILT_USER} ident 0 with {@code EV_CLEAR} where the OS has it ({@link
 * KeventLayout#hasUserFilter()}), triggered with {@code NOTE_TRIGGER} and no {@code EV_ADD} (which
 * polling#265 found can drop {@code EV_CLEAR}); else a non-blocking pipe whose read end is
 * registered level-triggered. Both carry {@link BackendSelector#RESERVED_TOKEN} in {@code udata};
 * slot values never have the top bit set.
 *
 * <p>Waits use a nanosecond {@code timespec}: no rounding to milliseconds.
 *
 * <p>Threads: {@link #lock} guards the slot table and the change array; the polling thread holds
 * it only while it turns returned events into tokens, never while it waits. The user-filter
 * trigger has its own scratch and lock, since a wake-up comes from any thread. The event array and
 * the {@code timespec} belong to the polling thread; {@link #doClose()} frees them once no
 * operation runs (the base class guarantees that).
 */
final class KqueueSelector extends BackendSelector {
  /** The most events one wait asks for, whatever the size of the caller's buffer. */
  static final int MAX_EVENTS = 4096;
  private static final int INITIAL_EVENTS = 64;
  // The most changes one operation sends: delete and add, for both filters.
  private static final int MAX_CHANGES = 4;
  private static final int OP_ADD = 1;
  private static final int OP_DELETE = 2;
  // The errno values this selector tests for, as macOS and the BSDs number them (all four systems
  // agree on these; EAGAIN is 35 there, 11 on Linux). Read from the macOS column of core's errno
  // table rather than Errno's own fields, so that the simulated kernel's errors mean the same on a
  // Linux build host.
  static final int ENOENT = Errno.TABLE.value("ENOENT", Os.MACOS);
  static final int EINTR = Errno.TABLE.value("EINTR", Os.MACOS);
  static final int EAGAIN = Errno.TABLE.value("EAGAIN", Os.MACOS);
  static final int EPIPE = Errno.TABLE.value("EPIPE", Os.MACOS);
  static final int EEXIST = Errno.TABLE.value("EEXIST", Os.MACOS);

  private final KqueueCalls calls;
  private final KeventLayout layout;
  private final int kq;
  // The pipe of the fallback waker, or -1 when EVFILT_USER is used.
  private final int wakeReadFd;
  private final int wakeWriteFd;
  private final boolean userWaker;

  // -- owned by the polling thread (and doClose) --
  private Memory events;
  private ByteBuffer eventsView;
  private long eventsAddress;
  private int eventsCapacity;
  private final Memory timespec = new Memory(Kqueue.SIZEOF_TIMESPEC);
  private final ByteBuffer timespecView =
      timespec.getByteBuffer(0, Kqueue.SIZEOF_TIMESPEC).order(ByteOrder.nativeOrder());
  // Where the pipe waker is drained.
  private final Memory drain = new Memory(64);

  // Byte 0: what the pipe waker writes (constant, so concurrent wakes are harmless).
  private final Memory wakeByte = new Memory(1);
  // -- guarded by wakeLock: the one kevent that triggers the user filter --
  private final Object wakeLock = new Object();
  private final Memory trigger;
  private final ByteBuffer triggerView;

  private final Object lock = new Object();
  // -- guarded by lock --
  private final Memory changes;
  private final ByteBuffer changesView;
  // What change i asked for, OP_ADD or OP_DELETE: receipts do not keep the flags on FreeBSD.
  private final int[] changeOps = new int[MAX_CHANGES];
  private int changeCount;
  private final RegistrationTable<KqueueRegistration> table = new RegistrationTable<>();
  // The registration of each descriptor, indexed by descriptor number (grown on demand). kqueue
  // would take a second EV_ADD for a registered descriptor as a modification and hand the first
  // registration's events to the second; this refuses it with EEXIST, as epoll does.
  private KqueueRegistration[] byFd = new KqueueRegistration[64];

  /** A registration and the slot its events carry. */
  static final class KqueueRegistration extends Registration {
    // The key its events carry (see RegistrationTable).
    final long key;

    KqueueRegistration(
        KqueueSelector s, SourceHandle h, long token, int interest, Mode mode, long key) {
      super(s, h, token, interest, mode);
      this.key = key;
    }

    long udata() {
      return key;
    }
  }

  /**
   * Opens a kqueue and its waker.
   *
   * @param calls the native calls (real, or simulated in tests)
   * @param layout the {@code struct kevent} layout and constants of the OS
   * @param useUserFilter whether to wake through {@code EVFILT_USER}; must be false where {@link
   *     KeventLayout#hasUserFilter()} is
   * @throws IOException if {@code kqueue}, {@code pipe} or registering the waker fails
   */
  KqueueSelector(KqueueCalls calls, KeventLayout layout, boolean useUserFilter)
      throws IOException {
    super(KqueueBackend.NAME, false);
    if (useUserFilter && !layout.hasUserFilter()) {
      throw new IllegalArgumentException(layout + " has no EVFILT_USER");
    }
    this.calls = calls;
    this.layout = layout;
    this.userWaker = useUserFilter;
    this.changes = new Memory((long) MAX_CHANGES * layout.size());
    this.changesView = changes.getByteBuffer(0, changes.size()).order(ByteOrder.nativeOrder());
    this.trigger = new Memory(layout.size());
    this.triggerView = trigger.getByteBuffer(0, trigger.size()).order(ByteOrder.nativeOrder());
    wakeByte.setByte(0, (byte) 1);
    int q = calls.kqueue();
    if (q < 0) {
      freeMemory();
      throw Errors.exception("kqueue", calls.errno());
    }
    this.kq = q;
    int[] fds = {-1, -1};
    if (!useUserFilter && calls.pipe(fds) != 0) {
      IOException e = Errors.exception("pipe", calls.errno());
      closeQuietly(q, e);
      freeMemory();
      throw e;
    }
    this.wakeReadFd = fds[0];
    this.wakeWriteFd = fds[1];
    try {
      synchronized (lock) {
        changeCount = 0;
        if (useUserFilter) {
          addChange(OP_ADD, 0, layout.evfiltUser(), Kqueue.EV_ADD | Kqueue.EV_CLEAR, 0,
              RESERVED_TOKEN);
        } else {
          addChange(OP_ADD, wakeReadFd, layout.evfiltRead(), Kqueue.EV_ADD, 0, RESERVED_TOKEN);
        }
        applyChanges(useUserFilter ? "the wake-up EVFILT_USER" : "the wake-up pipe " + wakeReadFd,
            true);
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(wakeReadFd, e);
      closeQuietly(wakeWriteFd, e);
      closeQuietly(q, e);
      freeMemory();
      throw e;
    }
    allocateEvents(INITIAL_EVENTS);
  }

  /** Whether wake-ups use {@code EVFILT_USER} (else the pipe); for tests. */
  boolean usesUserFilter() {
    return userWaker;
  }

  /** The kqueue descriptor; for tests. */
  int kq() {
    return kq;
  }

  // ---- registration -------------------------------------------------------------------------

  @Override
  protected Registration doRegister(SourceHandle handle, long token, int interest, Mode mode)
      throws IOException {
    int fd = handle.fd();
    synchronized (lock) {
      if (fd < byFd.length && byFd[fd] != null) {
        throw Errors.exception(
            "kevent(EV_ADD, descriptor " + fd + ")", EEXIST, Errors.registerDetail(EEXIST, fd));
      }
      KqueueRegistration r = attach(handle, token, interest, mode);
      changeCount = 0;
      int flags = Kqueue.EV_ADD | modeFlags(mode);
      if ((interest & Ops.WRITABLE) != 0) {
        addChange(OP_ADD, fd, layout.evfiltWrite(), flags, 0, r.udata());
      }
      if ((interest & Ops.READABLE) != 0) {
        addChange(OP_ADD, fd, layout.evfiltRead(), flags, 0, r.udata());
      }
      try {
        applyChanges("descriptor " + fd, false);
      } catch (IOException e) {
        detach(r);
        // Take back a filter that was added before the one that failed; errors do not matter.
        changeCount = 0;
        addChange(OP_DELETE, fd, layout.evfiltWrite(), Kqueue.EV_DELETE, 0, 0);
        addChange(OP_DELETE, fd, layout.evfiltRead(), Kqueue.EV_DELETE, 0, 0);
        try {
          applyChanges("descriptor " + fd, false);
        } catch (IOException ignored) {
          e.addSuppressed(ignored);
        }
        throw e;
      }
      return r;
    }
  }

  @Override
  protected void doReregister(Registration reg, long token, int interest, Mode mode)
      throws IOException {
    KqueueRegistration r = (KqueueRegistration) reg;
    int fd = r.handle().fd();
    synchronized (lock) {
      changeCount = 0;
      int flags = Kqueue.EV_ADD | modeFlags(mode);
      boolean modeChanges = mode != r.mode();
      for (int dir : new int[] {Ops.WRITABLE, Ops.READABLE}) {
        int filter = dir == Ops.WRITABLE ? layout.evfiltWrite() : layout.evfiltRead();
        boolean wanted = (interest & dir) != 0;
        if (!wanted || modeChanges) {
          addChange(OP_DELETE, fd, filter, Kqueue.EV_DELETE, 0, 0);
        }
        if (wanted) {
          addChange(OP_ADD, fd, filter, flags, 0, r.udata());
        }
      }
      applyChanges("descriptor " + fd, false);
      r.update(token, interest, mode);
    }
  }

  @Override
  protected void doDeregister(Registration reg, boolean handleClosing) throws IOException {
    KqueueRegistration r = (KqueueRegistration) reg;
    int fd = r.handle().fd();
    synchronized (lock) {
      // Freed first: an event for this slot that is already out of the kernel is dropped.
      detach(r);
      changeCount = 0;
      addChange(OP_DELETE, fd, layout.evfiltWrite(), Kqueue.EV_DELETE, 0, 0);
      addChange(OP_DELETE, fd, layout.evfiltRead(), Kqueue.EV_DELETE, 0, 0);
      try {
        applyChanges("descriptor " + fd, false);
      } catch (IOException e) {
        if (!handleClosing) {
          throw e;
        }
      }
    }
  }

  /**
   * The {@code EV_*} mode flags of a registration mode.
   *
   * @param mode the mode
   * @return {@code EV_CLEAR} for edge, {@code EV_ONESHOT} for oneshot, 0 for level
   */
  static int modeFlags(Mode mode) {
    switch (mode) {
      case EDGE:
        return Kqueue.EV_CLEAR;
      case ONESHOT:
        return Kqueue.EV_ONESHOT;
      default:
        return 0;
    }
  }

  private void addChange(int op, long ident, int filter, int flags, int fflags, long udata) {
    assert Thread.holdsLock(lock);
    int i = changeCount++;
    layout.put(changesView, i, ident, filter, flags | Kqueue.EV_RECEIPT, fflags, 0, udata);
    changeOps[i] = op;
  }

  /**
   * Sends the pending changes in one {@code kevent} call and checks every receipt.
   *
   * @param what what the changes are about, for messages
   * @param strict true to ignore no errno at all (the waker's own registration)
   */
  private void applyChanges(String what, boolean strict) throws IOException {
    assert Thread.holdsLock(lock);
    int n = changeCount;
    if (n == 0) {
      return;
    }
    long address = Pointer.nativeValue(changes);
    int rc = calls.kevent(kq, address, n, address, n, 0);
    if (rc < 0) {
      int errno = calls.errno();
      if (errno == EINTR) {
        return; // every change was applied (FreeBSD kevent(2)); there are no receipts to read
      }
      throw Errors.exception(callName(changeOps[0]), errno, what);
    }
    for (int i = 0; i < rc; i++) {
      int flags = layout.flags(changesView, i);
      long data = layout.data(changesView, i);
      if ((flags & Kqueue.EV_ERROR) == 0 || data == 0) {
        continue;
      }
      int errno = (int) data;
      int op = changeOps[Math.min(i, n - 1)];
      if (!strict && ignored(op, errno)) {
        continue;
      }
      throw Errors.exception(callName(op), errno, detail(i, what, errno));
    }
  }

  /**
   * Whether a receipt's errno is one the selector ignores: {@code EPIPE} from an add, {@code
   * ENOENT} from a delete.
   *
   * @param op {@code OP_ADD} or {@code OP_DELETE}
   * @param errno the receipt's errno
   * @return true if the change counts as done
   */
  static boolean ignored(int op, int errno) {
    return op == OP_ADD ? errno == EPIPE : errno == ENOENT;
  }

  private static String callName(int op) {
    return op == OP_ADD ? "kevent(EV_ADD)" : "kevent(EV_DELETE)";
  }

  private String detail(int i, String what, int errno) {
    int filter = layout.filter(changesView, i);
    String f = filter == layout.evfiltRead() ? "EVFILT_READ"
        : filter == layout.evfiltWrite() ? "EVFILT_WRITE"
        : filter == layout.evfiltUser() ? "EVFILT_USER"
        : "filter " + filter;
    String usual = what.startsWith("descriptor ")
        ? Errors.registerDetail(errno, (int) layout.ident(changesView, i))
        : null;
    return f + " of " + what + (usual != null ? ": " + usual : "");
  }

  private KqueueRegistration attach(SourceHandle handle, long token, int interest, Mode mode) {
    assert Thread.holdsLock(lock);
    KqueueRegistration r =
        table.add(key -> new KqueueRegistration(this, handle, token, interest, mode, key));
    int fd = handle.fd();
    if (fd >= byFd.length) {
      byFd = java.util.Arrays.copyOf(byFd, Math.max(fd + 1, 2 * byFd.length));
    }
    byFd[fd] = r;
    return r;
  }

  private void detach(KqueueRegistration r) {
    assert Thread.holdsLock(lock);
    table.release(r.key);
    int fd = r.handle().fd();
    if (fd < byFd.length && byFd[fd] == r) {
      byFd[fd] = null;
    }
  }

  // ---- select -------------------------------------------------------------------------------

  @Override
  protected void doSelect(EventBuffer buffer, long timeoutNanos) throws IOException {
    int max = Math.min(buffer.remaining(), MAX_EVENTS);
    if (max > eventsCapacity) {
      allocateEvents(max);
    }
    long ts = 0;
    if (timeoutNanos >= 0) {
      timespecView.putLong(Kqueue.OFFSET_TV_SEC, timeoutNanos / 1_000_000_000L);
      timespecView.putLong(Kqueue.OFFSET_TV_NSEC, timeoutNanos % 1_000_000_000L);
      ts = Pointer.nativeValue(timespec);
    }
    int n = calls.kevent(kq, 0, 0, eventsAddress, max, ts);
    if (n < 0) {
      int errno = calls.errno();
      if (errno == EINTR) {
        return; // the base class waits again with the remaining time
      }
      throw Errors.exception("kevent", errno);
    }
    boolean woken = false;
    ByteBuffer view = eventsView;
    synchronized (lock) {
      for (int i = 0; i < n; i++) {
        long udata = layout.udata(view, i);
        if (udata == RESERVED_TOKEN) {
          woken = true;
          continue;
        }
        KqueueRegistration r = table.get(udata);
        if (r == null || !r.isLive()) {
          continue; // raced a deregistration
        }
        int ready = translate(layout, layout.filter(view, i), layout.flags(view, i),
            layout.fflags(view, i), r.interest());
        if (ready != 0) {
          buffer.add(r.token(), ready);
        }
      }
    }
    if (woken) {
      if (!userWaker) {
        drainPipe();
      }
      wakeupDrained();
    }
  }

  /**
   * Maps one returned {@code kevent} to {@link Ops} bits, limited to {@code interest} plus the
   * error and closed bits.
   *
   * @param layout the OS's constants (filter numbers)
   * @param filter the entry's filter
   * @param flags the entry's {@code EV_*} flags
   * @param fflags the entry's filter flags (a socket error with {@code EV_EOF})
   * @param interest the registration's interest
   * @return readiness bits, or 0 when nothing of interest happened
   */
  static int translate(KeventLayout layout, int filter, int flags, int fflags, int interest) {
    boolean eof = (flags & Kqueue.EV_EOF) != 0;
    boolean error = (flags & Kqueue.EV_ERROR) != 0 || (eof && fflags != 0);
    int ready = 0;
    int closed = 0;
    if (filter == layout.evfiltRead()) {
      ready = interest & Ops.READABLE;
      closed = eof ? Ops.READ_CLOSED : 0;
    } else if (filter == layout.evfiltWrite()) {
      ready = interest & Ops.WRITABLE;
      closed = eof ? Ops.WRITE_CLOSED : 0;
    }
    if (ready == 0 && !error) {
      return 0;
    }
    ready |= closed;
    if (error) {
      ready |= Ops.ERROR | Ops.WRITE_CLOSED;
    }
    return ready;
  }

  private void allocateEvents(int capacity) {
    Memory old = events;
    events = new Memory((long) capacity * layout.size());
    eventsView = events.getByteBuffer(0, events.size()).order(ByteOrder.nativeOrder());
    eventsAddress = Pointer.nativeValue(events);
    eventsCapacity = capacity;
    if (old != null) {
      old.close();
    }
  }

  /** The number of {@code struct kevent} entries allocated for waits; for tests. */
  int eventsCapacity() {
    return eventsCapacity;
  }

  // ---- wake-up and close --------------------------------------------------------------------

  private void drainPipe() {
    long address = Pointer.nativeValue(drain);
    while (calls.read(wakeReadFd, address, drain.size()) == drain.size()) {
      // a full read: there may be more
    }
  }

  @Override
  protected void doWakeup() throws IOException {
    if (!userWaker) {
      if (calls.write(wakeWriteFd, Pointer.nativeValue(wakeByte), 1) < 0) {
        int errno = calls.errno();
        if (errno != EAGAIN) { // full pipe: a wake-up is pending
          throw Errors.exception("write(wake-up pipe)", errno);
        }
      }
      return;
    }
    synchronized (wakeLock) {
      layout.put(triggerView, 0, 0, layout.evfiltUser(), Kqueue.EV_RECEIPT, Kqueue.NOTE_TRIGGER,
          0, RESERVED_TOKEN);
      long address = Pointer.nativeValue(trigger);
      int rc = calls.kevent(kq, address, 1, address, 1, 0);
      if (rc < 0) {
        int errno = calls.errno();
        if (errno != EINTR) {
          throw Errors.exception("kevent(NOTE_TRIGGER)", errno);
        }
      } else if (rc == 1
          && (layout.flags(triggerView, 0) & Kqueue.EV_ERROR) != 0
          && layout.data(triggerView, 0) != 0) {
        throw Errors.exception("kevent(NOTE_TRIGGER)", (int) layout.data(triggerView, 0));
      }
    }
  }

  @Override
  protected void doClose() throws IOException {
    IOException failure = null;
    for (int fd : new int[] {kq, wakeReadFd, wakeWriteFd}) {
      if (fd < 0) {
        continue;
      }
      if (calls.close(fd) != 0) {
        int errno = calls.errno();
        if (errno != EINTR) {
          IOException e = Errors.exception("close(" + fd + ")", errno);
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
    }
    synchronized (lock) {
      table.clear();
      synchronized (wakeLock) {
        freeMemory();
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void closeQuietly(int fd, Throwable primary) {
    if (fd >= 0 && calls.close(fd) != 0) {
      primary.addSuppressed(Errors.exception("close(" + fd + ")", calls.errno()));
    }
  }

  private void freeMemory() {
    if (events != null) {
      events.close();
    }
    timespec.close();
    drain.close();
    wakeByte.close();
    trigger.close();
    changes.close();
  }
}
