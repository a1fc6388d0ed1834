package dev.poll4j.iocp;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.poll4j.iocp.sys.Afd;
import dev.poll4j.iocp.sys.Iocp;
import dev.poll4j.iocp.sys.Ntdll;
import dev.poll4j.iocp.sys.Winsock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Windows kernel with a completion port and the AFD driver, in Java, behind {@link IocpCalls}:
 * the behaviour abi.md A.3 to A.6 describes (and that was observed under Wine), enough to run
 * {@link IocpSelector}'s state machine on any host.
 *
 * <ul>
 *   <li><b>Port</b>: a FIFO of packets {key, overlapped, bytes}. {@code
 *       GetQueuedCompletionStatusEx} removes up to {@code count}, waits up to its timeout
 *       ({@code INFINITE} = -1), returns FALSE with {@code WAIT_TIMEOUT} when none came. {@code
 *       PostQueuedCompletionStatus} queues one with a NULL overlapped.
 *   <li><b>AFD handles</b> come from {@code NtCreateFile}, which parses the {@code
 *       OBJECT_ATTRIBUTES}/{@code UNICODE_STRING} it is given and accepts only {@code
 *       \Device\Afd\<something>} with {@code SYNCHRONIZE}, shared read/write, {@code FILE_OPEN},
 *       no create options. They must be bound to the port before a poll; {@code
 *       FILE_SKIP_COMPLETION_PORT_ON_SUCCESS}, if set, does what Windows does: a synchronous
 *       success queues no packet.
 *   <li><b>Sockets</b> have a set of current AFD conditions the test sets ({@code RECEIVE},
 *       {@code SEND}, {@code ACCEPT}, {@code DISCONNECT}, {@code ABORT}, {@code
 *       RECEIVE_EXPEDITED}, {@code CONNECT_FAIL} with its NTSTATUS). A closed socket's value can
 *       be handed out again ({@link #newSocket(long)}). A layered socket answers {@code
 *       SIO_BASE_HANDLE} with {@code WSAEFAULT} and {@code SIO_BSP_HANDLE_POLL} with its base.
 *   <li><b>{@code IOCTL_AFD_POLL}</b> checks the request (code, lengths, same buffer in and out,
 *       one handle, not exclusive, {@code LOCAL_CLOSE} asked for, {@code IO_STATUS_BLOCK} preset
 *       to {@code STATUS_PENDING}, memory from {@link #allocate}) and then completes at once
 *       ({@code STATUS_SUCCESS}, and a packet is still queued) when a condition of the mask holds,
 *       else stays pending ({@code STATUS_PENDING}) until one does. A closed socket gives {@code
 *       STATUS_INVALID_HANDLE} synchronously and no packet. Completion writes {@code
 *       IO_STATUS_BLOCK} (status, Information = 32) and {@code Handles[0].Events}/{@code Status}
 *       (the connect failure's NTSTATUS).
 *   <li><b>Cancel</b> ({@code NtCancelIoFileEx}) is asynchronous: the {@code STATUS_CANCELLED}
 *       packet (Information 0, Events left as submitted) is queued only at the next {@code
 *       GetQueuedCompletionStatusEx}, or after a real delay with {@link #cancelDelayMillis}.
 *       With {@link #cancelRacesCompletion} a poll whose condition holds completes normally
 *       instead. A poll that has completed gives {@code STATUS_NOT_FOUND}. Closing an AFD handle
 *       cancels its polls the same way.
 *   <li><b>Closing a socket</b> under a poll completes it with {@code AFD_POLL_LOCAL_CLOSE}.
 * </ul>
 *
 * <p>What the simulator enforces, by recording a violation and throwing {@link AssertionError}
 * (tests check {@link #violations()} after each run, so a violation on another thread is not
 * lost): a second poll for a socket that has one outstanding (outstanding = submitted, and its
 * packet not dequeued); more than {@link Afd#MAX_SOCKETS_PER_HANDLE} sockets polled through one
 * AFD handle at once; memory freed, or reused for a new poll, while the kernel owns it (from the
 * submit until its packet is dequeued); a poll on memory that is not allocated; the port closed
 * while polls are outstanding.
 */
final class SimulatedIocp implements IocpCalls {
  static final int STATUS_CONNECTION_REFUSED = 0xC0000236;
  static final int STATUS_BAD_DEVICE_TYPE = 0xC00000CB;
  static final int STATUS_OBJECT_NAME_INVALID = 0xC0000033;
  static final int STATUS_INVALID_PARAMETER = 0xC000000D;

  /** A simulated socket. */
  final class Socket {
    final long value;
    // The AFD conditions that currently hold.
    int conditions;
    // Handles[0].Status of a CONNECT_FAIL.
    int connectStatus;
    boolean closed;
    // For a layered socket: the base provider socket it sits on.
    Socket base;

    Socket(long value) {
      this.value = value;
    }

    /** Sets the conditions that hold now and completes polls waiting for one of them. */
    void set(int afdConditions) {
      synchronized (SimulatedIocp.this) {
        conditions = afdConditions;
        changed(this);
      }
    }

    /** Adds conditions. */
    void raise(int afdConditions) {
      synchronized (SimulatedIocp.this) {
        conditions |= afdConditions;
        changed(this);
      }
    }

    /** Removes conditions (the data was read, the send buffer filled up). */
    void clear(int afdConditions) {
      synchronized (SimulatedIocp.this) {
        conditions &= ~afdConditions;
      }
    }

    /**
     * Sets the conditions without the driver noticing yet: a pending poll completes only when
     * something else happens (a cancel that races it, with {@link #cancelRacesCompletion}).
     */
    void setSilently(int afdConditions) {
      synchronized (SimulatedIocp.this) {
        conditions = afdConditions;
      }
    }

    /** Completes the socket's pending poll with an error status (no events). */
    void failPoll(int status) {
      synchronized (SimulatedIocp.this) {
        for (Op op : new ArrayList<>(ops)) {
          if (op.socket == this && !op.completed && !op.cancelling) {
            finish(op, status, 0);
          }
        }
      }
    }

    /** A refused connect: {@code CONNECT_FAIL} with {@code STATUS_CONNECTION_REFUSED}. */
    void connectFailed(int status) {
      synchronized (SimulatedIocp.this) {
        connectStatus = status;
        conditions |= Afd.AFD_POLL_CONNECT_FAIL;
        changed(this);
      }
    }

    /** {@code closesocket}: polls on it complete with {@code LOCAL_CLOSE}; the value is free. */
    void close() {
      synchronized (SimulatedIocp.this) {
        closed = true;
        sockets.remove(value, this);
        for (Op op : new ArrayList<>(ops)) {
          if (op.socket == this && !op.completed) {
            finish(op, Ntdll.STATUS_SUCCESS, Afd.AFD_POLL_LOCAL_CLOSE);
          }
        }
      }
    }
  }

  /** One AFD poll: from submit until its packet is dequeued. */
  static final class Op {
    final Socket socket;
    final AfdHandle afd;
    final long apc;
    final long iosb;
    final long info;
    final int mask;
    boolean completed;
    boolean cancelling;

    Op(Socket socket, AfdHandle afd, long apc, long iosb, long info, int mask) {
      this.socket = socket;
      this.afd = afd;
      this.apc = apc;
      this.iosb = iosb;
      this.info = info;
      this.mask = mask;
    }
  }

  /** An AFD helper handle. */
  static final class AfdHandle {
    final long value;
    String name;
    long port;
    long key;
    int notificationModes = -1;
    boolean closed;

    AfdHandle(long value) {
      this.value = value;
    }
  }

  /** One packet. */
  record Packet(long key, long overlapped, int bytes, Op op) {}

  /** One submitted poll, as the driver saw it. */
  record Submit(long socket, int events, long afd, int status) {}

  boolean cancelRacesCompletion;
  // With a value > 0, cancellations are queued after that many ms (from another thread).
  long cancelDelayMillis;

  private final Map<Long, Socket> sockets = new HashMap<>();
  private final Map<Long, AfdHandle> afds = new LinkedHashMap<>();
  private final List<Op> ops = new ArrayList<>();
  private final ArrayDeque<Packet> queue = new ArrayDeque<>();
  // Cancelled polls whose packet is not queued yet.
  private final List<Op> cancelled = new ArrayList<>();
  // Allocated blocks: address -> size.
  private final Map<Long, Long> blocks = new HashMap<>();
  private final List<String> violations = new ArrayList<>();
  private final ThreadLocal<int[]> lastError = ThreadLocal.withInitial(() -> new int[1]);
  private long nextHandle = 0x100;
  private long nextSocket = 0x1000;
  private long port;
  private boolean portClosed;
  private int forcedSubmitStatus;
  private int forcedCreateStatus;
  final List<Submit> submits = new ArrayList<>();
  final List<Long> cancels = new ArrayList<>();
  // The dwMilliseconds of every GetQueuedCompletionStatusEx call.
  final List<Integer> waits = new ArrayList<>();
  // Handles in the order they were closed.
  final List<Long> closedHandles = new ArrayList<>();
  int frees;

  // ---- what tests use ------------------------------------------------------------------------

  /** A new open socket with no conditions. */
  synchronized Socket newSocket() {
    return newSocket(nextSocket += 4);
  }

  /** A new open socket with a chosen value, e.g. that of a closed one (handle reuse). */
  synchronized Socket newSocket(long value) {
    if (sockets.containsKey(value)) {
      throw new IllegalStateException("socket " + value + " is open");
    }
    Socket s = new Socket(value);
    sockets.put(value, s);
    return s;
  }

  /** A socket of a layered provider over a new base socket. */
  synchronized Socket newLayeredSocket() {
    Socket base = newSocket();
    Socket layered = newSocket();
    layered.base = base;
    return layered;
  }

  /** The next poll is refused with this NTSTATUS (and no packet). */
  synchronized void failNextSubmit(int status) {
    forcedSubmitStatus = status;
  }

  /** The next {@code NtCreateFile} fails with this NTSTATUS. */
  synchronized void failNextCreateFile(int status) {
    forcedCreateStatus = status;
  }

  /** What went against the rules so far. */
  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  /** Polls submitted and not yet dequeued, on one socket. */
  synchronized int outstandingOn(Socket s) {
    int n = 0;
    for (Op op : ops) {
      n += op.socket == s ? 1 : 0;
    }
    return n;
  }

  /** Polls submitted and not yet dequeued, in all. */
  synchronized int outstanding() {
    return ops.size();
  }

  /** Polls of the socket the kernel is still waiting on (not completed, not cancelled). */
  synchronized boolean hasPendingPoll(Socket s) {
    for (Op op : ops) {
      if (op.socket == s && !op.completed && !op.cancelling) {
        return true;
      }
    }
    return false;
  }

  /** The mask of the socket's pending poll, without {@code LOCAL_CLOSE}; -1 if none. */
  synchronized int pendingMask(Socket s) {
    for (Op op : ops) {
      if (op.socket == s && !op.completed && !op.cancelling) {
        return op.mask & ~Afd.AFD_POLL_LOCAL_CLOSE;
      }
    }
    return -1;
  }

  /** The submits for one socket so far. */
  synchronized List<Submit> submitsFor(Socket s) {
    List<Submit> out = new ArrayList<>();
    for (Submit x : submits) {
      if (x.socket == s.value) {
        out.add(x);
      }
    }
    return out;
  }

  /** Native blocks allocated and not freed. */
  synchronized int liveBlocks() {
    return blocks.size();
  }

  /** The AFD handles opened so far. */
  synchronized List<AfdHandle> afdHandles() {
    return List.copyOf(afds.values());
  }

  /** Packets queued and not dequeued. */
  synchronized int queuedPackets() {
    return queue.size();
  }

  synchronized boolean portClosed() {
    return portClosed;
  }

  // ---- IocpCalls -----------------------------------------------------------------------------

  @Override
  public synchronized long createIoCompletionPort(long file, long existingPort, long key) {
    if (file == Iocp.INVALID_HANDLE_VALUE && existingPort == 0) {
      if (port != 0) {
        violation("a second completion port");
      }
      port = nextHandle++;
      return port;
    }
    AfdHandle afd = afds.get(file);
    if (afd == null || afd.closed || existingPort != port || portClosed) {
      return fail(Iocp.ERROR_INVALID_HANDLE, 0);
    }
    afd.port = existingPort;
    afd.key = key;
    return port;
  }

  @Override
  public synchronized boolean setFileCompletionNotificationModes(long file, int flags) {
    AfdHandle afd = afds.get(file);
    if (afd == null || afd.closed) {
      return fail(Iocp.ERROR_INVALID_HANDLE, 0) != 0;
    }
    afd.notificationModes = flags;
    return true;
  }

  @Override
  public synchronized int ntCreateFile(long handleOut, int access, long objectAttributes,
      long ioStatusBlock, int shareAccess, int createDisposition, int createOptions) {
    if (forcedCreateStatus != 0) {
      int s = forcedCreateStatus;
      forcedCreateStatus = 0;
      return s;
    }
    Pointer oa = new Pointer(objectAttributes);
    if (oa.getInt(Ntdll.OFFSET_OA_LENGTH) != Ntdll.SIZEOF_OBJECT_ATTRIBUTES
        || oa.getLong(Ntdll.OFFSET_OA_ROOT_DIRECTORY) != 0) {
      return STATUS_INVALID_PARAMETER;
    }
    Pointer us = new Pointer(oa.getLong(Ntdll.OFFSET_OA_OBJECT_NAME));
    int length = us.getShort(Ntdll.OFFSET_US_LENGTH) & 0xffff;
    int max = us.getShort(Ntdll.OFFSET_US_MAXIMUM_LENGTH) & 0xffff;
    if (length % 2 != 0 || max < length) {
      return STATUS_INVALID_PARAMETER;
    }
    byte[] chars = new Pointer(us.getLong(Ntdll.OFFSET_US_BUFFER)).getByteArray(0, length);
    String name = new String(chars, StandardCharsets.UTF_16LE);
    String prefix = "\\Device\\Afd\\";
    if (!name.startsWith(prefix) || name.length() == prefix.length()) {
      return STATUS_OBJECT_NAME_INVALID;
    }
    if ((access & Ntdll.SYNCHRONIZE) == 0
        || shareAccess != (Ntdll.FILE_SHARE_READ | Ntdll.FILE_SHARE_WRITE)
        || createDisposition != Ntdll.FILE_OPEN || createOptions != 0) {
      return STATUS_INVALID_PARAMETER;
    }
    AfdHandle afd = new AfdHandle(nextHandle++);
    afd.name = name;
    afds.put(afd.value, afd);
    new Pointer(handleOut).setLong(0, afd.value);
    new Pointer(ioStatusBlock).setInt(Ntdll.OFFSET_IOSB_STATUS, Ntdll.STATUS_SUCCESS);
    return Ntdll.STATUS_SUCCESS;
  }

  @Override
  public synchronized int ntDeviceIoControlFile(long file, long apcContext, long ioStatusBlock,
      int code, long in, int inLength, long out, int outLength) {
    AfdHandle afd = afds.get(file);
    if (afd == null || afd.closed) {
      violation("IOCTL on an AFD handle that is not open: " + file);
      return Ntdll.STATUS_INVALID_HANDLE;
    }
    if (afd.port != port || afd.notificationModes < 0) {
      violation("poll on an AFD handle not bound to the port with its notification modes");
    }
    if (code != Afd.IOCTL_AFD_POLL || in != out || inLength != Afd.SIZEOF_AFD_POLL_INFO
        || outLength != Afd.SIZEOF_AFD_POLL_INFO) {
      violation("malformed IOCTL_AFD_POLL: code " + code + ", in " + in + "/" + inLength
          + ", out " + out + "/" + outLength);
    }
    checkAllocated(ioStatusBlock, Ntdll.SIZEOF_IO_STATUS_BLOCK, "IO_STATUS_BLOCK");
    checkAllocated(in, Afd.SIZEOF_AFD_POLL_INFO, "AFD_POLL_INFO");
    for (Op op : ops) {
      if (overlaps(op.iosb, Ntdll.SIZEOF_IO_STATUS_BLOCK, ioStatusBlock,
              Ntdll.SIZEOF_IO_STATUS_BLOCK)
          || overlaps(op.info, Afd.SIZEOF_AFD_POLL_INFO, in, Afd.SIZEOF_AFD_POLL_INFO)) {
        violation("a poll reuses memory the kernel owns for another poll");
      }
    }
    Pointer iosb = new Pointer(ioStatusBlock);
    Pointer info = new Pointer(in);
    if (iosb.getInt(Ntdll.OFFSET_IOSB_STATUS) != Ntdll.STATUS_PENDING) {
      violation("IO_STATUS_BLOCK.Status not preset to STATUS_PENDING");
    }
    int handles = info.getInt(Afd.OFFSET_NUMBER_OF_HANDLES);
    long timeout = info.getLong(Afd.OFFSET_TIMEOUT);
    long handle = info.getLong(Afd.OFFSET_HANDLES + Afd.OFFSET_HANDLE_INFO_HANDLE);
    int events = info.getInt(Afd.OFFSET_HANDLES + Afd.OFFSET_HANDLE_INFO_EVENTS);
    if (handles != 1 || info.getInt(Afd.OFFSET_EXCLUSIVE) != 0 || timeout != Long.MAX_VALUE) {
      violation("AFD_POLL_INFO: " + handles + " handles, exclusive "
          + info.getInt(Afd.OFFSET_EXCLUSIVE) + ", timeout " + timeout);
    }
    if ((events & Afd.AFD_POLL_LOCAL_CLOSE) == 0) {
      violation("poll without AFD_POLL_LOCAL_CLOSE");
    }
    if ((events & Afd.AFD_POLL_CONNECT) != 0) {
      violation("poll asks for AFD_POLL_CONNECT");
    }
    int status;
    if (forcedSubmitStatus != 0) {
      status = forcedSubmitStatus;
      forcedSubmitStatus = 0;
      submits.add(new Submit(handle, events, file, status));
      return status;
    }
    Socket s = sockets.get(handle);
    if (s == null) {
      submits.add(new Submit(handle, events, file, Ntdll.STATUS_INVALID_HANDLE));
      return Ntdll.STATUS_INVALID_HANDLE; // closed: synchronous, no packet
    }
    if (s.base != null) {
      violation("poll on layered socket " + handle + " instead of its base " + s.base.value);
    }
    for (Op op : ops) {
      if (op.socket == s) {
        violation("a second AFD poll for socket " + handle + " while one is outstanding");
      }
    }
    Set<Socket> onHandle = new HashSet<>();
    onHandle.add(s);
    for (Op op : ops) {
      if (op.afd == afd) {
        onHandle.add(op.socket);
      }
    }
    if (onHandle.size() > Afd.MAX_SOCKETS_PER_HANDLE) {
      violation(onHandle.size() + " sockets polled through one AFD handle");
    }
    Op op = new Op(s, afd, apcContext, ioStatusBlock, in, events);
    ops.add(op);
    int fired = s.conditions & events;
    if (fired != 0) {
      finish(op, Ntdll.STATUS_SUCCESS, fired);
      status = Ntdll.STATUS_SUCCESS;
      if ((afd.notificationModes & Iocp.FILE_SKIP_COMPLETION_PORT_ON_SUCCESS) != 0) {
        queue.removeIf(p -> p.op == op); // what Windows does; the selector would hang
        ops.remove(op);
      }
    } else {
      status = Ntdll.STATUS_PENDING;
    }
    submits.add(new Submit(handle, events, file, status));
    return status;
  }

  @Override
  public synchronized int ntCancelIoFileEx(long file, long ioRequest, long ioStatusBlock) {
    cancels.add(ioRequest);
    for (Op op : ops) {
      if (op.afd.value == file && op.iosb == ioRequest && !op.completed && !op.cancelling) {
        if (cancelRacesCompletion && (op.socket.conditions & op.mask) != 0) {
          finish(op, Ntdll.STATUS_SUCCESS, op.socket.conditions & op.mask);
        } else {
          cancelLater(op);
        }
        new Pointer(ioStatusBlock).setInt(Ntdll.OFFSET_IOSB_STATUS, Ntdll.STATUS_SUCCESS);
        return Ntdll.STATUS_SUCCESS;
      }
    }
    new Pointer(ioStatusBlock).setInt(Ntdll.OFFSET_IOSB_STATUS, Ntdll.STATUS_NOT_FOUND);
    return Ntdll.STATUS_NOT_FOUND;
  }

  private void cancelLater(Op op) {
    op.cancelling = true;
    cancelled.add(op);
    if (cancelDelayMillis > 0) {
      long delay = cancelDelayMillis;
      Thread t = new Thread(() -> {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        synchronized (SimulatedIocp.this) {
          flushCancelled();
        }
      }, "simulated cancel");
      t.setDaemon(true);
      t.start();
    }
  }

  private void flushCancelled() {
    for (Op op : cancelled) {
      if (!op.completed) {
        // Events are left as submitted; Information is 0.
        op.completed = true;
        Pointer iosb = new Pointer(op.iosb);
        iosb.setInt(Ntdll.OFFSET_IOSB_STATUS, Ntdll.STATUS_CANCELLED);
        iosb.setLong(Ntdll.OFFSET_IOSB_INFORMATION, 0);
        queue.add(new Packet(op.afd.key, op.apc, 0, op));
      }
    }
    cancelled.clear();
    notifyAll();
  }

  @Override
  public boolean getQueuedCompletionStatusEx(long p, long entries, int count, long removed,
      int millis) {
    long deadline = millis == Iocp.INFINITE ? -1
        : System.nanoTime() + millis * 1_000_000L;
    boolean interrupted = false;
    synchronized (this) {
      waits.add(millis);
      try {
        if (p != port || portClosed) {
          return fail(Iocp.ERROR_INVALID_HANDLE, 0) != 0;
        }
        if (cancelDelayMillis == 0) {
          flushCancelled();
        }
        while (queue.isEmpty()) {
          long wait;
          if (deadline < 0) {
            wait = 0;
          } else {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              return fail(Iocp.WAIT_TIMEOUT, 0) != 0;
            }
            wait = Math.max(1, (left + 999_999) / 1_000_000);
          }
          try {
            wait(wait);
          } catch (InterruptedException e) {
            interrupted = true; // a kernel wait ignores Java interrupts; the waker ends it
          }
          if (portClosed) {
            return fail(Iocp.ERROR_ABANDONED_WAIT_0, 0) != 0;
          }
        }
        Pointer out = new Pointer(entries);
        int n = 0;
        while (n < count && !queue.isEmpty()) {
          Packet packet = queue.poll();
          long at = (long) n * Iocp.SIZEOF_OVERLAPPED_ENTRY;
          out.setLong(at + Iocp.OFFSET_ENTRY_COMPLETION_KEY, packet.key);
          out.setLong(at + Iocp.OFFSET_ENTRY_OVERLAPPED, packet.overlapped);
          out.setLong(at + Iocp.OFFSET_ENTRY_INTERNAL,
              packet.op == null ? 0 : new Pointer(packet.op.iosb).getInt(0));
          out.setInt(at + Iocp.OFFSET_ENTRY_BYTES, packet.bytes);
          if (packet.op != null) {
            ops.remove(packet.op); // the kernel is done with its memory
          }
          n++;
        }
        new Pointer(removed).setInt(0, n);
        return true;
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Override
  public synchronized boolean postQueuedCompletionStatus(long p, int bytes, long key) {
    if (p != port || portClosed) {
      return fail(Iocp.ERROR_INVALID_HANDLE, 0) != 0;
    }
    queue.add(new Packet(key, 0, bytes, null));
    notifyAll();
    return true;
  }

  @Override
  public synchronized boolean closeHandle(long handle) {
    closedHandles.add(handle);
    if (handle == port && !portClosed) {
      if (!ops.isEmpty()) {
        violation("port closed with " + ops.size() + " poll(s) outstanding");
      }
      portClosed = true;
      queue.clear();
      notifyAll();
      return true;
    }
    AfdHandle afd = afds.get(handle);
    if (afd != null && !afd.closed) {
      afd.closed = true;
      for (Op op : ops) {
        if (op.afd == afd && !op.completed && !op.cancelling) {
          cancelLater(op); // closing a file cancels its I/O; packets still reach the port
        }
      }
      return true;
    }
    return fail(Iocp.ERROR_INVALID_HANDLE, 0) != 0;
  }

  @Override
  public synchronized int wsaIoctl(long socket, int code, long out, long bytesReturned) {
    Socket s = sockets.get(socket);
    if (s == null) {
      return (int) fail(Winsock.WSAENOTSOCK, Winsock.SOCKET_ERROR);
    }
    long answer;
    if (code == Winsock.SIO_BASE_HANDLE) {
      if (s.base != null) {
        return (int) fail(Winsock.WSAEFAULT, Winsock.SOCKET_ERROR); // a broken LSP
      }
      answer = s.value;
    } else if (code == Winsock.SIO_BSP_HANDLE_POLL && s.base != null) {
      answer = s.base.value;
    } else {
      return (int) fail(Winsock.WSAEOPNOTSUPP, Winsock.SOCKET_ERROR); // as under Wine
    }
    new Pointer(out).setLong(0, answer);
    new Pointer(bytesReturned).setInt(0, 8);
    return 0;
  }

  @Override
  public int rtlNtStatusToDosError(int status) {
    switch (status) {
      case Ntdll.STATUS_INVALID_HANDLE:
        return 6;
      case Ntdll.STATUS_CANCELLED:
        return 995;
      case Ntdll.STATUS_NOT_FOUND:
        return 1168;
      case STATUS_CONNECTION_REFUSED:
        return 1225;
      case STATUS_BAD_DEVICE_TYPE:
        return 66;
      default:
        return 317; // ERROR_MR_MID_NOT_FOUND
    }
  }

  @Override
  public synchronized long allocate(long size) {
    long address = Native.malloc(size);
    new Pointer(address).setMemory(0, size, (byte) 0);
    blocks.put(address, size);
    return address;
  }

  @Override
  public synchronized void free(long address) {
    Long size = blocks.remove(address);
    if (size == null) {
      violation("free of memory that is not allocated: " + address);
      return;
    }
    frees++;
    for (Op op : ops) {
      if (overlaps(address, size, op.iosb, Ntdll.SIZEOF_IO_STATUS_BLOCK)
          || overlaps(address, size, op.info, Afd.SIZEOF_AFD_POLL_INFO)) {
        blocks.put(address, size); // keep it valid: the kernel still writes it
        violation("memory freed while the kernel owns it (poll on socket " + op.socket.value
            + (op.completed ? ", packet not dequeued yet)" : ", still in the kernel)"));
      }
    }
    if (!blocks.containsKey(address)) {
      Native.free(address);
    }
  }

  @Override
  public int lastError() {
    return lastError.get()[0];
  }

  // ---- the driver's inner workings -------------------------------------------------------------

  private void changed(Socket s) {
    for (Op op : new ArrayList<>(ops)) {
      if (op.socket == s && !op.completed && !op.cancelling) {
        int fired = s.conditions & op.mask;
        if (fired != 0) {
          finish(op, Ntdll.STATUS_SUCCESS, fired);
        }
      }
    }
  }

  // Completes a poll: writes IOSB and AFD_POLL_INFO, queues the packet.
  private void finish(Op op, int status, int events) {
    op.completed = true;
    Pointer iosb = new Pointer(op.iosb);
    iosb.setInt(Ntdll.OFFSET_IOSB_STATUS, status);
    iosb.setLong(Ntdll.OFFSET_IOSB_INFORMATION, Afd.SIZEOF_AFD_POLL_INFO);
    Pointer info = new Pointer(op.info);
    info.setInt(Afd.OFFSET_NUMBER_OF_HANDLES, 1);
    info.setInt(Afd.OFFSET_HANDLES + Afd.OFFSET_HANDLE_INFO_EVENTS, events);
    info.setInt(Afd.OFFSET_HANDLES + Afd.OFFSET_HANDLE_INFO_STATUS,
        (events & Afd.AFD_POLL_CONNECT_FAIL) != 0 ? op.socket.connectStatus : 0);
    queue.add(new Packet(op.afd.key, op.apc, Afd.SIZEOF_AFD_POLL_INFO, op));
    notifyAll();
  }

  private void checkAllocated(long address, int size, String what) {
    for (Map.Entry<Long, Long> b : blocks.entrySet()) {
      if (address >= b.getKey() && address + size <= b.getKey() + b.getValue()) {
        return;
      }
    }
    violation(what + " at " + address + " is not in memory from allocate()");
  }

  private static boolean overlaps(long a, long aSize, long b, long bSize) {
    return a < b + bSize && b < a + aSize;
  }

  private void violation(String what) {
    violations.add(what);
    throw new AssertionError("simulated kernel: " + what);
  }

  private long fail(int error, long result) {
    lastError.get()[0] = error;
    return result;
  }
}
