package dev.poll4j.epoll;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.poll4j.Mode;
import dev.poll4j.epoll.sys.Epoll;
import dev.poll4j.epoll.sys.EpollBinding;
import dev.poll4j.epoll.sys.EpollPwait2;
import dev.poll4j.epoll.sys.Eventfd;
import dev.poll4j.internal.posix.Descriptors;
import dev.poll4j.internal.posix.Errors;
import dev.poll4j.internal.posix.Readiness;
import dev.poll4j.internal.posix.sys.EpollCalls;
import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.IoCalls;
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
 * The epoll selector.
 *
 * <p>Modes are native: {@link Mode#EDGE} is {@code EPOLLET}, {@link Mode#ONESHOT} is {@code
 * EPOLLONESHOT} (re-armed by {@code EPOLL_CTL_MOD} on reregister), {@link Mode#LEVEL} is neither.
 * Interest maps as in mio: readable is {@code EPOLLIN|EPOLLRDHUP}, writable {@code EPOLLOUT},
 * priority {@code EPOLLPRI}.
 *
 * <p>What travels in {@code epoll_data.u64}: a registration <em>slot</em>, {@code generation <<
 * 32 | index}, into an array of live registrations, not the user's token itself. Translating an
 * event needs the registration's interest, exactly as the poll(2) backend does: the kernel
 * reports {@code EPOLLHUP} and {@code EPOLLERR} whatever was asked for (a pipe reader whose writer
 * closed gets a bare {@code EPOLLHUP}), so the event bits alone cannot say whether it is readable.
 * One array load per event costs what reading the token would, with no hashing and no allocation,
 * and it also drops events that raced a deregistration or a slot's reuse (the generation differs):
 * after {@code deregister} returns, no select reports the old token, even one whose {@code
 * epoll_wait} had already returned.
 *
 * <p>The wake-up handle is an eventfd registered (level-triggered) with {@code data.u64 =}
 * {@link BackendSelector#RESERVED_TOKEN}; slot values never have the top bit set, so the two
 * cannot collide.
 *
 * <p>Waits: {@code epoll_pwait2} with a nanosecond {@code timespec} for finite timeouts when the C
 * library has it ({@value #PWAIT2_PROPERTY}, default true), else {@code epoll_wait} with the
 * timeout rounded up to whole milliseconds. The first {@code ENOSYS} (kernel older than 5.11) or
 * {@code EPERM} (a seccomp profile refusing an unknown system call) switches every selector to
 * {@code epoll_wait} for good.
 *
 * <p>The calls of every wait and registration change go through {@link EpollCalls}, the wake-ups
 * through {@link IoCalls}: the Foreign Function &amp; Memory API on JDK 22+, JNA before.
 *
 * <p>Threads: registration calls may come from any thread while the polling thread waits; {@code
 * epoll_ctl} itself is thread-safe. {@link #lock} guards the slot table and the {@code
 * epoll_event} scratch of {@code epoll_ctl}; the polling thread holds it only while it turns the
 * returned events into tokens, never while it waits. The event array, the {@code timespec} and the
 * drain buffer belong to the polling thread; {@link #doClose()} frees them once no operation runs
 * (the base class guarantees that).
 */
final class EpollSelector extends BackendSelector {
  /** System property: set to {@code false} to never use {@code epoll_pwait2}. */
  static final String PWAIT2_PROPERTY = "poll4j.epoll.pwait2";
  /** Whether {@link #PWAIT2_PROPERTY} allows {@code epoll_pwait2} (default: true); read once. */
  static final boolean PWAIT2_ENABLED =
      !"false".equalsIgnoreCase(System.getProperty(PWAIT2_PROPERTY, "true").trim());

  /** The most events one wait asks for, whatever the size of the caller's buffer. */
  static final int MAX_EVENTS = 4096;
  /** The size of the event array before a larger buffer asks for more. */
  private static final int INITIAL_EVENTS = 64;

  // The epoll calls of every wait and registration change (FFM on JDK 22+), and the eventfd's
  // read and write.
  private static final EpollCalls EPOLL = EpollBinding.CURRENT;
  private static final IoCalls IO = IoCalls.CURRENT;

  // Cleared, for every selector of this JVM, by the first ENOSYS or EPERM from epoll_pwait2.
  private static volatile boolean pwait2Works = true;

  private final int epfd;
  private final int eventFd;

  // -- owned by the polling thread (and doClose) --
  // Whether this selector still tries epoll_pwait2: the constructor's choice and pwait2Works.
  private boolean usePwait2;
  private Memory events;
  private ByteBuffer eventsView;
  private long eventsAddress;
  private int eventsCapacity;
  // The struct timespec given to epoll_pwait2, written before each timed wait.
  private final Memory timespec = new Memory(EpollPwait2.SIZEOF_TIMESPEC);
  private final ByteBuffer timespecView =
      timespec.getByteBuffer(0, EpollPwait2.SIZEOF_TIMESPEC).order(ByteOrder.nativeOrder());

  // Bytes 0..7: the value 1 that doWakeup writes (constant, so concurrent wakes are harmless);
  // bytes 8..15: where the polling thread reads (drains) the eventfd counter.
  private final Memory wakeScratch = new Memory(2 * Eventfd.VALUE_SIZE);

  private final Object lock = new Object();
  // -- guarded by lock --
  // The struct epoll_event passed to epoll_ctl.
  private final Memory ctlEvent = new Memory(Epoll.SIZEOF_EPOLL_EVENT);
  private final ByteBuffer ctlView =
      ctlEvent.getByteBuffer(0, Epoll.SIZEOF_EPOLL_EVENT).order(ByteOrder.nativeOrder());
  // Live registrations by slot index; null where free.
  private final RegistrationTable<EpollRegistration> table = new RegistrationTable<>();

  /** A registration and the slot its events carry. */
  static final class EpollRegistration extends Registration {
    // The key its events carry (see RegistrationTable).
    final long key;

    EpollRegistration(
        EpollSelector s, SourceHandle h, long token, int interest, Mode mode, long key) {
      super(s, h, token, interest, mode);
      this.key = key;
    }

    long data() {
      return key;
    }
  }

  /**
   * Opens an epoll instance and its eventfd.
   *
   * @param allowPwait2 false to always wait with {@code epoll_wait} (tests; {@value
   *     #PWAIT2_PROPERTY}=false)
   * @throws IOException if {@code epoll_create1} or {@code eventfd} fails (EMFILE, ENFILE, ENOMEM)
   */
  EpollSelector(boolean allowPwait2) throws IOException {
    super(EpollBackend.NAME, false);
    this.usePwait2 = allowPwait2 && EPOLL.hasPwait2() && pwait2Works;
    int ep = Epoll.epoll_create1(Epoll.EPOLL_CLOEXEC);
    if (ep < 0) {
      freeMemory();
      throw Errors.exception("epoll_create1(EPOLL_CLOEXEC)", Errno.errno());
    }
    int efd = Eventfd.eventfd(0, Eventfd.EFD_CLOEXEC | Eventfd.EFD_NONBLOCK);
    if (efd < 0) {
      IOException e = Errors.exception("eventfd(0, EFD_CLOEXEC|EFD_NONBLOCK)", Errno.errno());
      Descriptors.closeQuietly(ep, e);
      freeMemory();
      throw e;
    }
    this.epfd = ep;
    this.eventFd = efd;
    wakeScratch.setLong(0, 1L);
    synchronized (lock) {
      int errno = ctl(Epoll.EPOLL_CTL_ADD, efd, Epoll.EPOLLIN, RESERVED_TOKEN);
      if (errno != 0) {
        IOException e =
            Errors.exception("epoll_ctl(ADD)", errno, "registering the wake-up eventfd " + efd);
        Descriptors.closeQuietly(efd, e);
        Descriptors.closeQuietly(ep, e);
        freeMemory();
        throw e;
      }
    }
    allocateEvents(INITIAL_EVENTS);
  }

  // ---- registration -------------------------------------------------------------------------

  @Override
  protected Registration doRegister(SourceHandle handle, long token, int interest, Mode mode)
      throws IOException {
    int fd = handle.fd();
    synchronized (lock) {
      EpollRegistration r = attach(handle, token, interest, mode);
      int errno = ctl(Epoll.EPOLL_CTL_ADD, fd, epollEvents(interest, mode), r.data());
      if (errno != 0) {
        detach(r);
        throw Errors.exception("epoll_ctl(ADD)", errno, Errors.registerDetail(errno, fd));
      }
      return r;
    }
  }

  @Override
  protected void doReregister(Registration reg, long token, int interest, Mode mode)
      throws IOException {
    EpollRegistration r = (EpollRegistration) reg;
    int fd = r.handle().fd();
    synchronized (lock) {
      int errno = ctl(Epoll.EPOLL_CTL_MOD, fd, epollEvents(interest, mode), r.data());
      if (errno != 0) {
        throw Errors.exception("epoll_ctl(MOD)", errno, Errors.registerDetail(errno, fd));
      }
      r.update(token, interest, mode);
    }
  }

  @Override
  protected void doDeregister(Registration reg, boolean handleClosing) throws IOException {
    EpollRegistration r = (EpollRegistration) reg;
    int fd = r.handle().fd();
    int errno;
    synchronized (lock) {
      // Freed first: an event for this slot that is already out of the kernel is dropped.
      detach(r);
      errno = ctl(Epoll.EPOLL_CTL_DEL, fd, 0, 0);
    }
    if (errno != 0 && !handleClosing) {
      throw Errors.exception("epoll_ctl(DEL)", errno, Errors.registerDetail(errno, fd));
    }
  }

  /** The epoll event mask for an interest and a mode. */
  static int epollEvents(int interest, Mode mode) {
    int ev = 0;
    if ((interest & Ops.READABLE) != 0) {
      ev |= Epoll.EPOLLIN | Epoll.EPOLLRDHUP;
    }
    if ((interest & Ops.WRITABLE) != 0) {
      ev |= Epoll.EPOLLOUT;
    }
    if ((interest & Ops.PRIORITY) != 0) {
      ev |= Epoll.EPOLLPRI;
    }
    switch (mode) {
      case EDGE:
        return ev | Epoll.EPOLLET;
      case ONESHOT:
        return ev | Epoll.EPOLLONESHOT;
      default:
        return ev;
    }
  }

  // One epoll_ctl through the shared scratch struct; returns 0 or the errno.
  private int ctl(int op, int fd, int eventMask, long data) {
    assert Thread.holdsLock(lock);
    long address = 0;
    if (op != Epoll.EPOLL_CTL_DEL) {
      ctlView.putInt(Epoll.OFFSET_EVENTS, eventMask);
      ctlView.putLong(Epoll.OFFSET_DATA, data);
      address = Pointer.nativeValue(ctlEvent);
    }
    return -EPOLL.epollCtl(epfd, op, fd, address);
  }

  private EpollRegistration attach(SourceHandle handle, long token, int interest, Mode mode) {
    assert Thread.holdsLock(lock);
    return table.add(key -> new EpollRegistration(this, handle, token, interest, mode, key));
  }

  private void detach(EpollRegistration r) {
    assert Thread.holdsLock(lock);
    table.release(r.key);
  }

  // ---- select -------------------------------------------------------------------------------

  @Override
  protected void doSelect(EventBuffer buffer, long timeoutNanos) throws IOException {
    int max = Math.min(buffer.remaining(), MAX_EVENTS);
    if (max > eventsCapacity) {
      allocateEvents(max);
    }
    int n = waitForEvents(max, timeoutNanos);
    if (n <= 0) {
      return; // timeout, or EINTR: the base class waits again with the remaining time
    }
    boolean woken = false;
    int stride = Epoll.SIZEOF_EPOLL_EVENT;
    ByteBuffer view = eventsView;
    synchronized (lock) {
      for (int i = 0, off = 0; i < n; i++, off += stride) {
        int ev = view.getInt(off + Epoll.OFFSET_EVENTS);
        long data = view.getLong(off + Epoll.OFFSET_DATA);
        if (data == RESERVED_TOKEN) {
          woken = true;
          continue;
        }
        EpollRegistration r = table.get(data);
        if (r == null || !r.isLive()) {
          continue; // raced a deregistration
        }
        int ready = Readiness.translate(ev, r.interest());
        if (ready != 0) {
          buffer.add(r.token(), ready);
        }
      }
    }
    if (woken) {
      drainEventfd();
      wakeupDrained();
    }
  }

  // One kernel wait into the event array; returns the event count, or 0 on EINTR.
  private int waitForEvents(int max, long timeoutNanos) throws IOException {
    if (timeoutNanos > 0 && usePwait2) {
      timespecView.putLong(EpollPwait2.OFFSET_TV_SEC, timeoutNanos / 1_000_000_000L);
      timespecView.putLong(EpollPwait2.OFFSET_TV_NSEC, timeoutNanos % 1_000_000_000L);
      int rc = EPOLL.epollPwait2(epfd, eventsAddress, max, Pointer.nativeValue(timespec));
      if (rc >= 0) {
        return rc;
      }
      int errno = -rc;
      if (errno == Errno.EINTR) {
        return 0;
      }
      if (!meansPwait2Unsupported(errno)) {
        throw Errors.exception("epoll_pwait2", errno);
      }
      pwait2Works = false;
      usePwait2 = false;
      // and wait with epoll_wait below
    }
    int rc = EPOLL.epollWait(epfd, eventsAddress, max, Readiness.timeoutMillis(timeoutNanos));
    if (rc >= 0) {
      return rc;
    }
    int errno = -rc;
    if (errno == Errno.EINTR) {
      return 0;
    }
    throw Errors.exception("epoll_wait", errno);
  }

  /**
   * Whether an errno from {@code epoll_pwait2} means the call itself is unusable here: {@code
   * ENOSYS} (kernel older than 5.11) or {@code EPERM} (seccomp filters of older container
   * runtimes answer unknown system calls with it; {@code epoll_pwait2} has no EPERM of its own).
   */
  static boolean meansPwait2Unsupported(int errno) {
    return errno == Errno.ENOSYS || errno == Errno.EPERM;
  }

  private void allocateEvents(int capacity) {
    Memory old = events;
    events = new Memory((long) capacity * Epoll.SIZEOF_EPOLL_EVENT);
    eventsView = events.getByteBuffer(0, events.size()).order(ByteOrder.nativeOrder());
    eventsAddress = Pointer.nativeValue(events);
    eventsCapacity = capacity;
    if (old != null) {
      old.close();
    }
  }

  /** The epoll descriptor; for tests that change the interest list behind the selector's back. */
  int epfd() {
    return epfd;
  }

  /** Whether the next timed wait uses {@code epoll_pwait2}; for tests. */
  boolean usesPwait2() {
    return usePwait2;
  }

  /** The number of {@code struct epoll_event} entries allocated; for tests. */
  int eventsCapacity() {
    return eventsCapacity;
  }

  // ---- wake-up and close --------------------------------------------------------------------

  private void drainEventfd() {
    // One read returns the counter and resets it to 0; EAGAIN means another drain won the race.
    IO.read(eventFd, Pointer.nativeValue(wakeScratch) + Eventfd.VALUE_SIZE, Eventfd.VALUE_SIZE);
  }

  @Override
  protected void doWakeup() throws IOException {
    long rc = IO.write(eventFd, Pointer.nativeValue(wakeScratch), Eventfd.VALUE_SIZE);
    if (rc < 0) {
      int errno = (int) -rc;
      if (errno != Errno.EAGAIN) { // EAGAIN: the counter is full, a wake-up is pending anyway
        throw Errors.exception("write(eventfd)", errno);
      }
    }
  }

  @Override
  protected void doClose() throws IOException {
    // Memory first, then descriptors: a failed close must not leave the buffers behind.
    synchronized (lock) {
      table.clear();
      freeMemory();
    }
    Descriptors.closeAll(epfd, eventFd);
  }

  private void freeMemory() {
    if (events != null) {
      events.close();
    }
    timespec.close();
    wakeScratch.close();
    ctlEvent.close();
  }
}
