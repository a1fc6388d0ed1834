package dev.poll4j.iocp;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.poll4j.Mode;
import dev.poll4j.iocp.sys.Afd;
import dev.poll4j.iocp.sys.Iocp;
import dev.poll4j.iocp.sys.Ntdll;
import dev.poll4j.iocp.sys.Winsock;
import dev.poll4j.spi.BackendSelector;
import dev.poll4j.spi.EventBuffer;
import dev.poll4j.spi.Ops;
import dev.poll4j.spi.Registration;
import dev.poll4j.spi.RegistrationTable;
import dev.poll4j.spi.SourceHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The IOCP selector: one completion port, AFD helper handles bound to it, and per registration
 * one {@code IOCTL_AFD_POLL} at a time (abi.md part A).
 *
 * <p><b>Per-registration state machine</b> (A.4; wepoll's {@code sock.c}, mio's {@code
 * SockState}). A registration is {@code IDLE} (no poll in the kernel), {@code PENDING} (a poll
 * with mask {@code pendingMask} is in the kernel) or {@code CANCELLED} (its poll was cancelled and
 * its packet has not been dequeued yet), plus the flag {@code deletePending}. There is never more
 * than one outstanding poll per registration: a new one is submitted only from {@code IDLE}, and
 * a registration becomes {@code IDLE} only when the packet of its poll is dequeued. Changes
 * (register, reregister, the would-block re-arm, the re-arm after every completion) only queue the
 * registration; the polling thread applies the queue before each wait, and another thread that
 * queues something while a wait is in progress wakes it. So polls are submitted only from the
 * polling thread (the workaround for wepoll#35). Applying means: from {@code IDLE}, submit a poll
 * for the armed mask; in {@code PENDING}, do nothing if the armed mask is a subset of the pending
 * one (a completion re-arms with the new mask), else cancel ({@code NtCancelIoFileEx}) and go to
 * {@code CANCELLED}; in {@code CANCELLED}, wait for the packet. Deregistration cancels at once
 * from any thread and sets {@code deletePending}; the native block is freed only when the
 * registration is {@code IDLE}, that is at once, or when the packet of its last poll is dequeued.
 *
 * <p><b>Native memory.</b> Each registration owns a 48-byte block from {@link IocpCalls#allocate}:
 * the poll's {@code IO_STATUS_BLOCK} at 0 and its {@code AFD_POLL_INFO} at 16 (used for input and
 * output). The kernel writes both until the packet is dequeued, also after a cancel, so the block
 * never moves and is freed only then. The {@code ApcContext} of each poll, which comes back as the
 * packet's {@code lpOverlapped}, is the registration's {@link RegistrationTable} key; a key stays
 * in the table until the block is freed, so every dequeued packet finds its registration with one
 * array load, and state is keyed by registration, never by the {@code SOCKET} value (handle
 * reuse, wepoll#34). A {@code NULL} {@code lpOverlapped} is the waker's packet.
 *
 * <p><b>Modes.</b> Each registration has <em>armed</em> bits, the part of its interest asked of
 * AFD, as in the poll(2) selector. {@link Mode#LEVEL} keeps the whole interest armed: the poll is
 * re-submitted after every completion and completes at once while the condition holds. {@link
 * Mode#EDGE} drops what an event reported and re-arms it when an I/O call returns would-block
 * ({@link #doRearm}), as mio does. {@link Mode#ONESHOT} disarms everything until reregistered. A
 * registration with nothing armed has no poll in the kernel. Only the {@link
 * SourceHandle#directions() directions} of the source are ever armed: a {@code Pipe} end is a
 * loopback socket whose other direction must never fire (the read end's socket is writable).
 *
 * <p><b>Event mapping: mio's</b> ({@code src/sys/windows/event.rs}; abi.md A.5), because poll4j's
 * readiness bits are mio's (readable, writable, error, read-closed, write-closed, priority) and so
 * is its edge emulation; wepoll maps to epoll bits and polling has no closed or error bits. Asked
 * for: readable = {@code RECEIVE|DISCONNECT|ACCEPT}, writable = {@code SEND}, priority = {@code
 * RECEIVE_EXPEDITED}, always {@code ABORT|CONNECT_FAIL} when anything is armed and {@code
 * LOCAL_CLOSE} on every submit; never {@code CONNECT}. Reported ({@link #translate}): readable =
 * {@code RECEIVE|DISCONNECT|ACCEPT|ABORT|CONNECT_FAIL}, writable = {@code SEND|ABORT|CONNECT_FAIL},
 * priority = {@code RECEIVE_EXPEDITED}, each limited to the armed bits; error = {@code
 * CONNECT_FAIL}; read-closed = {@code DISCONNECT|ABORT|CONNECT_FAIL}; write-closed = {@code
 * ABORT|CONNECT_FAIL}. A packet whose status is an error other than {@code STATUS_CANCELLED}
 * counts as {@code CONNECT_FAIL}, as in mio.
 *
 * <p><b>Completions</b> (A.3 step 8): the registration goes to {@code IDLE}; then, in this order,
 * a deleted registration is freed; {@code STATUS_CANCELLED} reports nothing; {@code LOCAL_CLOSE}
 * (the socket was closed under the poll), or {@code STATUS_INVALID_HANDLE}, drops the registration
 * silently (it is freed and marked dead, its token is never reported again); otherwise the events
 * are translated and reported. Every registration still alive is queued to be re-armed. A submit
 * that returns {@code STATUS_INVALID_HANDLE} (the socket is already closed; no packet follows)
 * drops it the same way; any other submit failure is reported once as an {@link Ops#ERROR} event
 * and disarms the registration until it is reregistered.
 *
 * <p><b>Waits</b>: {@code GetQueuedCompletionStatusEx} into a native array of {@code
 * OVERLAPPED_ENTRY}s read at fixed offsets, at most as many as the caller's buffer has room for;
 * timeouts are rounded up to whole milliseconds. A wait that dequeues only cancellations or the
 * internal wake-up returns no event, and the base class waits again for the rest of the timeout.
 *
 * <p><b>Close</b> (A.6): cancel every pending poll, close the AFD handles, dequeue packets until
 * every outstanding poll has completed, then close the port and free the native memory. If the
 * kernel does not complete them all within {@link #DRAIN_LIMIT_MILLIS}, their blocks are leaked,
 * never freed under the kernel.
 *
 * <p><b>Threads</b>: {@link #lock} guards the table, the states, the update queue and the AFD
 * groups; the polling thread holds it while it applies the queue and while it turns packets into
 * events, never while it waits. The entry array belongs to the polling thread.
 */
final class IocpSelector extends BackendSelector {
  /** The most completion entries one wait asks for, whatever the size of the caller's buffer. */
  static final int MAX_ENTRIES = 1024;
  private static final int INITIAL_ENTRIES = 64;
  /** The completion key of the AFD helper handles' packets. */
  static final long AFD_KEY = 1;
  /** The completion key of the waker's packets, which carry a {@code NULL} overlapped. */
  static final long WAKE_KEY = 2;
  /** How long {@link #doClose()} waits for outstanding polls to complete before leaking them. */
  static final long DRAIN_LIMIT_MILLIS = 10_000;

  // Per-registration block: IO_STATUS_BLOCK, then AFD_POLL_INFO.
  static final int BLOCK_IOSB = 0;
  static final int BLOCK_INFO = Ntdll.SIZEOF_IO_STATUS_BLOCK;
  static final int BLOCK_SIZE = BLOCK_INFO + Afd.SIZEOF_AFD_POLL_INFO;
  private static final int INFO_EVENTS =
      BLOCK_INFO + Afd.OFFSET_HANDLES + Afd.OFFSET_HANDLE_INFO_EVENTS;

  // Registration states.
  static final int IDLE = 0;
  static final int PENDING = 1;
  static final int CANCELLED = 2;

  // The AFD bits behind each readiness direction (mio's mapping).
  private static final int AFD_READABLE = Afd.AFD_POLL_RECEIVE | Afd.AFD_POLL_DISCONNECT
      | Afd.AFD_POLL_ACCEPT | Afd.AFD_POLL_ABORT | Afd.AFD_POLL_CONNECT_FAIL;
  private static final int AFD_WRITABLE =
      Afd.AFD_POLL_SEND | Afd.AFD_POLL_ABORT | Afd.AFD_POLL_CONNECT_FAIL;
  private static final int AFD_READ_CLOSED =
      Afd.AFD_POLL_DISCONNECT | Afd.AFD_POLL_ABORT | Afd.AFD_POLL_CONNECT_FAIL;
  private static final int AFD_WRITE_CLOSED = Afd.AFD_POLL_ABORT | Afd.AFD_POLL_CONNECT_FAIL;

  // Scratch layout (guarded by lock): cancel IOSB, the SOCKET out of WSAIoctl, its byte count.
  private static final int SCRATCH_CANCEL_IOSB = 0;
  private static final int SCRATCH_SOCKET = 16;
  private static final int SCRATCH_BYTES = 24;
  private static final int SCRATCH_SIZE = 32;

  private static final System.Logger LOG = System.getLogger(IocpSelector.class.getName());

  private final IocpCalls calls;
  private final long port;

  // -- owned by the polling thread (and doClose) --
  private Memory entries;
  private ByteBuffer entriesView;
  private long entriesAddress;
  private int entriesCapacity;
  // The ULONG that GetQueuedCompletionStatusEx stores the number of entries in.
  private final Memory removed = new Memory(8);
  private final ByteBuffer removedView =
      removed.getByteBuffer(0, 8).order(ByteOrder.nativeOrder());

  private final Object lock = new Object();
  // -- guarded by lock --
  private final Memory scratch = new Memory(SCRATCH_SIZE);
  private final ByteBuffer scratchView =
      scratch.getByteBuffer(0, SCRATCH_SIZE).order(ByteOrder.nativeOrder());
  private final RegistrationTable<IocpRegistration> table = new RegistrationTable<>();
  // Every registration that still owns its native block (deleted ones until their packet).
  private final Set<IocpRegistration> owned = new HashSet<>();
  private final List<AfdGroup> groups = new ArrayList<>();
  // Registrations whose armed mask must be applied before the next wait (no duplicates).
  private IocpRegistration[] updates = new IocpRegistration[64];
  private int updateCount;
  // Polls the kernel owns: submitted, and their packet not dequeued yet.
  private int outstanding;
  // True while the polling thread waits in GetQueuedCompletionStatusEx.
  private boolean polling;

  /** One AFD helper handle and how many registrations share it. */
  static final class AfdGroup {
    final long handle;
    // Registrations holding a block on this handle (at most Afd.MAX_SOCKETS_PER_HANDLE).
    int size;

    AfdGroup(long handle) {
      this.handle = handle;
    }
  }

  /** A registration, its native block and its AFD poll state. All fields guarded by the lock. */
  static final class IocpRegistration extends Registration {
    // The table key: the ApcContext of its polls, so the packet's lpOverlapped.
    final long key;
    // The base provider socket, which AFD is asked about.
    final long baseSocket;
    final AfdGroup group;
    // The IOSB + AFD_POLL_INFO block, 0 once freed, and a view of it.
    long block;
    ByteBuffer view;
    int armed;
    int state = IDLE;
    int pendingMask;
    boolean deletePending;
    // Dropped because its socket was closed under it: dead, freed, nothing more to do.
    boolean gone;
    // In the update queue.
    boolean queued;

    IocpRegistration(IocpSelector s, SourceHandle h, long token, int interest, Mode mode,
        long key, long baseSocket, AfdGroup group, long block) {
      super(s, h, token, interest, mode);
      this.key = key;
      this.baseSocket = baseSocket;
      this.group = group;
      this.block = block;
      this.view = new Pointer(block).getByteBuffer(0, BLOCK_SIZE).order(ByteOrder.nativeOrder());
      this.armed = interest & h.directions();
    }

    void drop() {
      gone = true;
      kill();
    }
  }

  /**
   * Creates the completion port.
   *
   * @param calls the native calls (real, or simulated in tests)
   * @throws IOException if {@code CreateIoCompletionPort} fails
   */
  IocpSelector(IocpCalls calls) throws IOException {
    super(IocpBackend.NAME, true);
    this.calls = calls;
    long p = calls.createIoCompletionPort(Iocp.INVALID_HANDLE_VALUE, 0, 0);
    if (p == 0) {
      IOException e = WinErrors.exception("CreateIoCompletionPort", calls.lastError());
      freeMemory();
      throw e;
    }
    this.port = p;
    allocateEntries(INITIAL_ENTRIES);
  }

  /** The port handle; for tests. */
  long port() {
    return port;
  }

  /** The number of AFD helper handles opened so far; for tests. */
  int afdHandleCount() {
    synchronized (lock) {
      return groups.size();
    }
  }

  /** Polls the kernel owns; for tests. */
  int outstanding() {
    synchronized (lock) {
      return outstanding;
    }
  }

  /** The state of a registration ({@link #IDLE}, {@link #PENDING}, {@link #CANCELLED}). */
  int stateOf(Registration r) {
    synchronized (lock) {
      return ((IocpRegistration) r).state;
    }
  }

  /** The armed {@link Ops} bits of a registration; for tests. */
  int armedOf(Registration r) {
    synchronized (lock) {
      return ((IocpRegistration) r).armed;
    }
  }

  // ---- registration -------------------------------------------------------------------------

  @Override
  protected Registration doRegister(SourceHandle handle, long token, int interest, Mode mode)
      throws IOException {
    synchronized (lock) {
      long base = baseSocket(handle.value());
      AfdGroup group = groupWithRoom();
      long block = calls.allocate(BLOCK_SIZE);
      if (block == 0) {
        throw new IOException("out of native memory for the AFD poll block of " + handle);
      }
      IocpRegistration r = table.add(
          key -> new IocpRegistration(this, handle, token, interest, mode, key, base, group,
              block));
      group.size++;
      owned.add(r);
      queueUpdate(r);
      return r;
    }
  }

  @Override
  protected void doReregister(Registration reg, long token, int interest, Mode mode)
      throws IOException {
    IocpRegistration r = (IocpRegistration) reg;
    synchronized (lock) {
      if (r.gone) {
        throw WinErrors.exception("reregister", Iocp.ERROR_INVALID_HANDLE,
            "the socket " + r.handle().value() + " was closed while it was registered"
                + " (AFD_POLL_LOCAL_CLOSE); deregister it");
      }
      r.update(token, interest, mode);
      r.armed = interest & r.handle().directions();
      queueUpdate(r);
    }
  }

  @Override
  protected void doDeregister(Registration reg, boolean handleClosing) throws IOException {
    IocpRegistration r = (IocpRegistration) reg;
    synchronized (lock) {
      if (r.gone || r.deletePending) {
        return;
      }
      r.deletePending = true;
      r.armed = 0;
      if (r.state == IDLE) {
        freeBlock(r);
      } else if (r.state == PENDING) {
        int status = cancel(r);
        if (status != Ntdll.STATUS_SUCCESS && status != Ntdll.STATUS_NOT_FOUND && !handleClosing) {
          // The registration is gone regardless; its block waits for the poll's packet.
          throw WinErrors.ntException("NtCancelIoFileEx", status,
              calls.rtlNtStatusToDosError(status), "socket " + r.handle().value());
        }
      }
    }
  }

  @Override
  protected void doRearm(Registration reg, int ops) {
    IocpRegistration r = (IocpRegistration) reg;
    synchronized (lock) {
      int add = ops & ~r.armed & r.handle().directions();
      if (add != 0 && !r.gone && !r.deletePending) {
        r.armed |= add;
        queueUpdate(r);
      }
    }
  }

  /**
   * The base provider socket of {@code socket}, which AFD polls must name (A.3 step 5). If {@code
   * SIO_BASE_HANDLE} fails with anything but {@code WSAENOTSOCK}, a layered provider may be in the
   * way: the first of {@code SIO_BSP_HANDLE_POLL}, {@code SIO_BSP_HANDLE_SELECT} and {@code
   * SIO_BSP_HANDLE} that yields a different socket is asked again (wepoll's loop, with mio's list
   * of codes).
   */
  private long baseSocket(long socket) throws IOException {
    assert Thread.holdsLock(lock);
    long s = socket;
    for (int round = 0; round < 8; round++) {
      if (wsaIoctl(s, Winsock.SIO_BASE_HANDLE)) {
        return scratchView.getLong(SCRATCH_SOCKET);
      }
      int error = calls.lastError();
      if (error == Winsock.WSAENOTSOCK) {
        throw WinErrors.exception("WSAIoctl(SIO_BASE_HANDLE)", error,
            "handle " + socket + " is not a socket; the IOCP backend polls sockets only");
      }
      long next = s;
      for (int code : new int[] {Winsock.SIO_BSP_HANDLE_POLL, Winsock.SIO_BSP_HANDLE_SELECT,
          Winsock.SIO_BSP_HANDLE}) {
        if (wsaIoctl(s, code)) {
          long candidate = scratchView.getLong(SCRATCH_SOCKET);
          if (candidate != s) {
            next = candidate;
            break;
          }
        }
      }
      if (next == s) {
        throw WinErrors.exception("WSAIoctl(SIO_BASE_HANDLE)", error,
            "socket " + socket + ": no base provider socket (a layered service provider?)");
      }
      s = next;
    }
    throw new IOException("WSAIoctl(SIO_BASE_HANDLE): socket " + socket
        + ": the layered providers' SIO_BSP_HANDLE answers form a loop");
  }

  private boolean wsaIoctl(long socket, int code) {
    scratchView.putLong(SCRATCH_SOCKET, 0);
    long address = Pointer.nativeValue(scratch);
    return calls.wsaIoctl(socket, code, address + SCRATCH_SOCKET, address + SCRATCH_BYTES) == 0;
  }

  // The first AFD handle with room, else a new one.
  private AfdGroup groupWithRoom() throws IOException {
    assert Thread.holdsLock(lock);
    for (AfdGroup g : groups) {
      if (g.size < Afd.MAX_SOCKETS_PER_HANDLE) {
        return g;
      }
    }
    AfdGroup g = new AfdGroup(openAfdHandle());
    groups.add(g);
    return g;
  }

  /**
   * Opens an AFD helper handle on {@link Afd#DEVICE_NAME} and binds it to the port with only
   * {@code FILE_SKIP_SET_EVENT_ON_HANDLE} (A.3 steps 2 and 3): a poll that succeeds at once must
   * still queue a packet.
   */
  private long openAfdHandle() throws IOException {
    byte[] name = Afd.DEVICE_NAME.getBytes(StandardCharsets.UTF_16LE);
    int oa = 0;
    int us = Ntdll.SIZEOF_OBJECT_ATTRIBUTES;
    int iosb = us + Ntdll.SIZEOF_UNICODE_STRING;
    int out = iosb + Ntdll.SIZEOF_IO_STATUS_BLOCK;
    int buffer = out + 8;
    try (Memory m = new Memory(buffer + name.length + 2L)) {
      m.clear();
      long base = Pointer.nativeValue(m);
      m.write(buffer, name, 0, name.length);
      m.setShort(us + Ntdll.OFFSET_US_LENGTH, (short) name.length);
      m.setShort(us + Ntdll.OFFSET_US_MAXIMUM_LENGTH, (short) (name.length + 2));
      m.setLong(us + Ntdll.OFFSET_US_BUFFER, base + buffer);
      m.setInt(oa + Ntdll.OFFSET_OA_LENGTH, Ntdll.SIZEOF_OBJECT_ATTRIBUTES);
      m.setLong(oa + Ntdll.OFFSET_OA_OBJECT_NAME, base + us);
      int status = calls.ntCreateFile(base + out, Ntdll.SYNCHRONIZE, base + oa, base + iosb,
          Ntdll.FILE_SHARE_READ | Ntdll.FILE_SHARE_WRITE, Ntdll.FILE_OPEN, 0);
      if (status != Ntdll.STATUS_SUCCESS) {
        throw WinErrors.ntException("NtCreateFile(" + Afd.DEVICE_NAME + ")", status,
            calls.rtlNtStatusToDosError(status), null);
      }
      long afd = m.getLong(out);
      if (calls.createIoCompletionPort(afd, port, AFD_KEY) == 0) {
        IOException e = WinErrors.exception("CreateIoCompletionPort(AFD handle)",
            calls.lastError());
        calls.closeHandle(afd);
        throw e;
      }
      if (!calls.setFileCompletionNotificationModes(afd, Iocp.FILE_SKIP_SET_EVENT_ON_HANDLE)) {
        IOException e = WinErrors.exception("SetFileCompletionNotificationModes(AFD handle)",
            calls.lastError());
        calls.closeHandle(afd);
        throw e;
      }
      return afd;
    }
  }

  private void queueUpdate(IocpRegistration r) {
    assert Thread.holdsLock(lock);
    if (!r.queued) {
      if (updateCount == updates.length) {
        updates = Arrays.copyOf(updates, updateCount * 2);
      }
      updates[updateCount++] = r;
      r.queued = true;
    }
    if (polling) {
      wakeup(); // the polling thread applies the queue before it waits again
    }
  }

  // ---- the state machine ----------------------------------------------------------------------

  /**
   * The AFD events to ask for, given armed {@link Ops} bits.
   *
   * @param armed armed interest bits
   * @return the {@code AFD_POLL_*} mask without {@code LOCAL_CLOSE}, or 0 when nothing is armed
   */
  static int afdMask(int armed) {
    if ((armed & Ops.ALL_INTEREST) == 0) {
      return 0;
    }
    int mask = Afd.AFD_POLL_ABORT | Afd.AFD_POLL_CONNECT_FAIL;
    if ((armed & Ops.READABLE) != 0) {
      mask |= Afd.AFD_POLL_RECEIVE | Afd.AFD_POLL_DISCONNECT | Afd.AFD_POLL_ACCEPT;
    }
    if ((armed & Ops.WRITABLE) != 0) {
      mask |= Afd.AFD_POLL_SEND;
    }
    if ((armed & Ops.PRIORITY) != 0) {
      mask |= Afd.AFD_POLL_RECEIVE_EXPEDITED;
    }
    return mask;
  }

  /**
   * Maps the events of a completed AFD poll to {@link Ops} bits (mio's mapping).
   *
   * @param afdEvents the {@code AFD_POLL_*} bits the poll reported
   * @param armed the armed interest bits; readable, writable and priority are limited to them
   * @return readiness bits, or 0 when nothing of interest happened
   */
  static int translate(int afdEvents, int armed) {
    int ready = 0;
    if ((afdEvents & AFD_READABLE) != 0) {
      ready |= Ops.READABLE;
    }
    if ((afdEvents & AFD_WRITABLE) != 0) {
      ready |= Ops.WRITABLE;
    }
    if ((afdEvents & Afd.AFD_POLL_RECEIVE_EXPEDITED) != 0) {
      ready |= Ops.PRIORITY;
    }
    ready &= armed;
    if ((afdEvents & Afd.AFD_POLL_CONNECT_FAIL) != 0) {
      ready |= Ops.ERROR;
    }
    if ((afdEvents & AFD_READ_CLOSED) != 0) {
      ready |= Ops.READ_CLOSED;
    }
    if ((afdEvents & AFD_WRITE_CLOSED) != 0) {
      ready |= Ops.WRITE_CLOSED;
    }
    return ready;
  }

  /** Applies the update queue; returns false if an error event found no room in the buffer. */
  private void applyUpdates(EventBuffer buffer) {
    assert Thread.holdsLock(lock);
    int kept = 0;
    for (int i = 0; i < updateCount; i++) {
      IocpRegistration r = updates[i];
      updates[i] = null;
      if (update(r, buffer)) {
        r.queued = false;
      } else {
        updates[kept++] = r;
      }
    }
    updateCount = kept;
  }

  // Brings the kernel in line with the armed mask; false to stay queued (no room for an event).
  private boolean update(IocpRegistration r, EventBuffer buffer) {
    if (r.gone || r.deletePending) {
      return true;
    }
    int mask = afdMask(r.armed);
    if (r.state == IDLE) {
      if (mask == 0) {
        return true;
      }
      if (buffer.remaining() == 0) {
        return false; // a failure would have no room to be reported
      }
      int status = submit(r, mask);
      if (status == Ntdll.STATUS_PENDING || status == Ntdll.STATUS_SUCCESS) {
        r.state = PENDING; // a packet follows even on synchronous success
        r.pendingMask = mask;
        outstanding++;
      } else if (status == Ntdll.STATUS_INVALID_HANDLE) {
        dropIdle(r); // the socket is closed already; no packet follows
      } else {
        LOG.log(System.Logger.Level.WARNING, () -> WinErrors.ntException(
            "NtDeviceIoControlFile(IOCTL_AFD_POLL)", status, calls.rtlNtStatusToDosError(status),
            "socket " + r.handle().value() + "; reported as an error event, disarmed until "
                + "reregistered").getMessage());
        r.armed = 0;
        if (r.isLive()) {
          buffer.add(r.token(), Ops.ERROR);
        }
      }
    } else if (r.state == PENDING && (mask & ~r.pendingMask) != 0) {
      int status = cancel(r);
      if (status != Ntdll.STATUS_SUCCESS && status != Ntdll.STATUS_NOT_FOUND) {
        LOG.log(System.Logger.Level.WARNING, () -> WinErrors.ntException("NtCancelIoFileEx",
            status, calls.rtlNtStatusToDosError(status), "socket " + r.handle().value())
            .getMessage());
      }
    }
    return true;
  }

  private int submit(IocpRegistration r, int mask) {
    ByteBuffer v = r.view;
    v.putLong(BLOCK_INFO + Afd.OFFSET_TIMEOUT, Afd.NO_TIMEOUT);
    v.putInt(BLOCK_INFO + Afd.OFFSET_NUMBER_OF_HANDLES, 1);
    v.putInt(BLOCK_INFO + Afd.OFFSET_EXCLUSIVE, 0);
    v.putLong(BLOCK_INFO + Afd.OFFSET_HANDLES + Afd.OFFSET_HANDLE_INFO_HANDLE, r.baseSocket);
    v.putInt(INFO_EVENTS, mask | Afd.AFD_POLL_LOCAL_CLOSE);
    v.putInt(BLOCK_INFO + Afd.OFFSET_HANDLES + Afd.OFFSET_HANDLE_INFO_STATUS, 0);
    v.putLong(BLOCK_IOSB + Ntdll.OFFSET_IOSB_STATUS, 0);
    v.putInt(BLOCK_IOSB + Ntdll.OFFSET_IOSB_STATUS, Ntdll.STATUS_PENDING);
    v.putLong(BLOCK_IOSB + Ntdll.OFFSET_IOSB_INFORMATION, 0);
    long info = r.block + BLOCK_INFO;
    return calls.ntDeviceIoControlFile(r.group.handle, r.key, r.block + BLOCK_IOSB,
        Afd.IOCTL_AFD_POLL, info, Afd.SIZEOF_AFD_POLL_INFO, info, Afd.SIZEOF_AFD_POLL_INFO);
  }

  /**
   * Cancels the pending poll of {@code r} and moves it to {@code CANCELLED}: its block stays
   * allocated until the packet is dequeued. A poll whose status block no longer says pending has
   * completed already (its packet is on the way) and is not cancelled.
   *
   * @return the NTSTATUS of {@code NtCancelIoFileEx}, or {@code STATUS_NOT_FOUND} when skipped
   */
  private int cancel(IocpRegistration r) {
    assert Thread.holdsLock(lock) && r.state == PENDING;
    r.state = CANCELLED;
    r.pendingMask = 0;
    if (r.view.getInt(BLOCK_IOSB + Ntdll.OFFSET_IOSB_STATUS) != Ntdll.STATUS_PENDING) {
      return Ntdll.STATUS_NOT_FOUND;
    }
    long address = Pointer.nativeValue(scratch);
    return calls.ntCancelIoFileEx(r.group.handle, r.block + BLOCK_IOSB,
        address + SCRATCH_CANCEL_IOSB);
  }

  // The packet of r's poll was dequeued: the state machine's completion step (A.3 step 8).
  private void complete(IocpRegistration r, EventBuffer buffer) {
    assert Thread.holdsLock(lock);
    r.state = IDLE;
    r.pendingMask = 0;
    outstanding--;
    if (r.deletePending) {
      freeBlock(r);
      return;
    }
    ByteBuffer v = r.view;
    int status = v.getInt(BLOCK_IOSB + Ntdll.OFFSET_IOSB_STATUS);
    int ready = 0;
    if (status == Ntdll.STATUS_CANCELLED) {
      ready = 0;
    } else if (status == Ntdll.STATUS_INVALID_HANDLE) {
      dropIdle(r);
      return;
    } else if (status < 0) {
      ready = translate(Afd.AFD_POLL_CONNECT_FAIL, r.armed);
    } else if (v.getInt(BLOCK_INFO + Afd.OFFSET_NUMBER_OF_HANDLES) >= 1) {
      int events = v.getInt(INFO_EVENTS);
      if ((events & Afd.AFD_POLL_LOCAL_CLOSE) != 0) {
        dropIdle(r);
        return;
      }
      ready = translate(events, r.armed);
    }
    if (ready != 0 && r.isLive()) {
      buffer.add(r.token(), ready);
      r.armed = Ops.armedAfter(r.mode(), r.armed, ready);
    }
    queueUpdate(r);
  }

  // The socket is gone (closed under a poll, or before one): forget it without an event.
  private void dropIdle(IocpRegistration r) {
    r.drop();
    freeBlock(r);
  }

  private void freeBlock(IocpRegistration r) {
    assert Thread.holdsLock(lock) && r.state == IDLE;
    calls.free(r.block);
    r.block = 0;
    r.view = null;
    table.release(r.key);
    owned.remove(r);
    r.group.size--;
  }

  // ---- select -------------------------------------------------------------------------------

  /**
   * The millisecond timeout of one wait: {@code INFINITE} for none, else rounded up, so that a
   * sub-millisecond timeout never turns into a busy loop.
   *
   * @param timeoutNanos {@code -1} forever, {@code 0} do not block, else the longest wait
   * @return the {@code dwMilliseconds} argument
   */
  static int timeoutMillis(long timeoutNanos) {
    if (timeoutNanos < 0) {
      return Iocp.INFINITE;
    }
    long ms = timeoutNanos / 1_000_000L + (timeoutNanos % 1_000_000L == 0 ? 0 : 1);
    return (int) Math.min(ms, Integer.MAX_VALUE);
  }

  @Override
  protected void doSelect(EventBuffer buffer, long timeoutNanos) throws IOException {
    synchronized (lock) {
      applyUpdates(buffer);
      polling = true;
    }
    int max = Math.min(buffer.remaining(), MAX_ENTRIES);
    boolean ok = true;
    int error = 0;
    if (max > 0) {
      if (max > entriesCapacity) {
        allocateEntries(max);
      }
      int ms = buffer.size() > 0 ? 0 : timeoutMillis(timeoutNanos);
      ok = calls.getQueuedCompletionStatusEx(port, entriesAddress, max,
          Pointer.nativeValue(removed), ms);
      error = ok ? 0 : calls.lastError();
    }
    boolean woken = false;
    synchronized (lock) {
      polling = false;
      if (max == 0) {
        return;
      }
      if (!ok) {
        if (error == Iocp.WAIT_TIMEOUT) {
          return;
        }
        throw WinErrors.exception("GetQueuedCompletionStatusEx", error);
      }
      int n = removedView.getInt(0);
      ByteBuffer view = entriesView;
      for (int i = 0; i < n; i++) {
        int at = i * Iocp.SIZEOF_OVERLAPPED_ENTRY;
        long overlapped = view.getLong(at + Iocp.OFFSET_ENTRY_OVERLAPPED);
        if (overlapped == 0) {
          woken |= view.getLong(at + Iocp.OFFSET_ENTRY_COMPLETION_KEY) == WAKE_KEY;
          continue;
        }
        IocpRegistration r = table.get(overlapped);
        if (r != null && r.state != IDLE) {
          complete(r, buffer);
        }
      }
    }
    if (woken) {
      wakeupDrained();
    }
  }

  private void allocateEntries(int capacity) {
    Memory old = entries;
    entries = new Memory((long) capacity * Iocp.SIZEOF_OVERLAPPED_ENTRY);
    entriesView = entries.getByteBuffer(0, entries.size()).order(ByteOrder.nativeOrder());
    entriesAddress = Pointer.nativeValue(entries);
    entriesCapacity = capacity;
    if (old != null) {
      old.close();
    }
  }

  /** The number of completion entries allocated for waits; for tests. */
  int entriesCapacity() {
    return entriesCapacity;
  }

  // ---- wake-up and close --------------------------------------------------------------------

  @Override
  protected void doWakeup() throws IOException {
    if (!calls.postQueuedCompletionStatus(port, 0, WAKE_KEY)) {
      throw WinErrors.exception("PostQueuedCompletionStatus", calls.lastError());
    }
  }

  @Override
  protected void doClose() throws IOException {
    IOException failure = null;
    synchronized (lock) {
      // 1. Cancel every pending poll; free what the kernel does not own.
      for (IocpRegistration r : new ArrayList<>(owned)) {
        r.deletePending = true;
        if (r.state == PENDING) {
          cancel(r); // errors do not matter: closing the AFD handle cancels it too
        } else if (r.state == IDLE) {
          freeBlock(r);
        }
      }
      updateCount = 0;
      // 2. Close the AFD handles.
      for (AfdGroup g : groups) {
        if (!calls.closeHandle(g.handle)) {
          failure = chain(failure, WinErrors.exception("CloseHandle(AFD handle)",
              calls.lastError()));
        }
      }
      groups.clear();
      // 3. Dequeue until every outstanding poll has completed.
      drain();
      if (outstanding > 0) {
        LOG.log(System.Logger.Level.WARNING, "IOCP selector closed with " + outstanding
            + " AFD poll(s) still owned by the kernel after " + DRAIN_LIMIT_MILLIS
            + " ms; their native blocks are leaked rather than freed");
      }
      // 4. Only now the port, and the memory.
      if (!calls.closeHandle(port)) {
        failure = chain(failure, WinErrors.exception("CloseHandle(port)", calls.lastError()));
      }
      table.clear();
      owned.clear();
      freeMemory();
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void drain() {
    assert Thread.holdsLock(lock);
    long deadline = System.nanoTime() + DRAIN_LIMIT_MILLIS * 1_000_000L;
    while (outstanding > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      int max = Math.max(1, entriesCapacity);
      if (!calls.getQueuedCompletionStatusEx(port, entriesAddress, max,
          Pointer.nativeValue(removed), timeoutMillis(left))) {
        if (calls.lastError() == Iocp.WAIT_TIMEOUT) {
          continue; // the deadline ends it
        }
        return; // the port is broken: nothing more will come out of it
      }
      int n = removedView.getInt(0);
      for (int i = 0; i < n; i++) {
        long overlapped =
            entriesView.getLong(i * Iocp.SIZEOF_OVERLAPPED_ENTRY + Iocp.OFFSET_ENTRY_OVERLAPPED);
        IocpRegistration r = overlapped == 0 ? null : table.get(overlapped);
        if (r != null && r.state != IDLE) {
          r.state = IDLE;
          outstanding--;
          freeBlock(r);
        }
      }
    }
  }

  private static IOException chain(IOException first, IOException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private void freeMemory() {
    if (entries != null) {
      entries.close();
    }
    removed.close();
    scratch.close();
  }
}
