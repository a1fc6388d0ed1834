package dev.poll4j.kqueue;

import com.sun.jna.Pointer;
import dev.poll4j.kqueue.sys.KeventLayout;
import dev.poll4j.kqueue.sys.Kqueue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kernel with kqueue, in Java, behind {@link KqueueCalls}: enough of the documented semantics
 * (kqueue(2) of FreeBSD and macOS) to run {@link KqueueSelector}'s logic on any host.
 *
 * <ul>
 *   <li>Descriptors are simulated {@link Fd}s whose readiness the test sets; pipes are real
 *       enough (bytes, EAGAIN at capacity, EOF when the other end closes).
 *   <li>A knote is keyed by (ident, filter). {@code EV_ADD} creates one, or on an existing one
 *       updates {@code udata} and {@code fflags} only: its {@code EV_CLEAR}/{@code EV_ONESHOT}
 *       stay as first added (the pessimistic reading; real kernels differ). {@code EV_DELETE}
 *       removes one, {@code ENOENT} if absent. An unknown descriptor gives {@code EBADF}.
 *   <li>Level knotes report while their condition holds; {@code EV_CLEAR} knotes report once per
 *       change of state that makes it hold (and once on add, if it holds then); {@code EV_ONESHOT}
 *       knotes are deleted after their first report.
 *   <li>{@code EVFILT_USER}: {@code NOTE_TRIGGER} fires it; {@code EV_CLEAR} resets it when
 *       reported, else it stays triggered.
 *   <li>{@code EV_RECEIPT}, or an error, writes an {@code EV_ERROR} entry with the errno (or 0) in
 *       {@code data}. With {@link #bareReceiptFlags} receipts carry only {@code EV_ERROR}, as
 *       FreeBSD writes them; else the change's flags plus {@code EV_ERROR}, as xnu does. An error
 *       with no room in the event list fails the call with that errno.
 *   <li>{@link #epipeOnClosedPipe}: adding {@code EVFILT_WRITE} to a pipe whose reader is closed
 *       fails with {@code EPIPE} but the knote is kept (macOS 10.10/10.11, mio#582).
 *   <li>Errnos are the BSD numbers ({@code EAGAIN} is 35).
 * </ul>
 */
final class SimulatedKqueue implements KqueueCalls {
  static final int EBADF = 9;
  static final int ENOENT = 2;
  static final int EINTR = 4;
  static final int EPIPE = 32;
  static final int EINVAL = 22;
  static final int EAGAIN = 35;
  static final int EMFILE = 24;

  /** A simulated descriptor. */
  final class Fd {
    final int number;
    boolean readable;
    boolean writable;
    boolean readEof;
    boolean writeEof;
    // The socket error that EV_EOF reports in fflags, 0 for none.
    int socketError;
    // Pipes: the other end, the bytes buffered in the read end, the capacity.
    Fd peer;
    boolean readEnd;
    int buffered;
    boolean closed;

    Fd(int number) {
      this.number = number;
    }

    /** Changes readiness and activates EV_CLEAR knotes whose condition now holds. */
    void set(boolean readable, boolean writable) {
      synchronized (SimulatedKqueue.this) {
        this.readable = readable;
        this.writable = writable;
        changed();
      }
    }

    /** Marks end of file on the read side (peer shut down writing), with an optional error. */
    void eofRead(int error) {
      synchronized (SimulatedKqueue.this) {
        readEof = true;
        readable = true;
        socketError = error;
        changed();
      }
    }

    /** Marks the write side closed (peer gone). */
    void eofWrite(int error) {
      synchronized (SimulatedKqueue.this) {
        writeEof = true;
        writable = true;
        socketError = error;
        changed();
      }
    }

    private void changed() {
      for (Knote k : knotes.values()) {
        if (k.ident == number) {
          k.triggered = true;
        }
      }
      SimulatedKqueue.this.notifyAll();
    }
  }

  /** One registered filter. */
  static final class Knote {
    final long ident;
    final int filter;
    final int flags;
    long udata;
    int fflags;
    boolean triggered;

    Knote(long ident, int filter, int flags, long udata) {
      this.ident = ident;
      this.filter = filter;
      this.flags = flags;
      this.udata = udata;
    }
  }

  /** One change as the simulated kernel received it. */
  record Change(long ident, int filter, int flags, int fflags, long udata) {}

  /** One kevent call. */
  record Call(List<Change> changes, int nevents, boolean timed) {}

  final KeventLayout layout;
  boolean bareReceiptFlags;
  boolean epipeOnClosedPipe;
  int pipeCapacity = 16;

  private final Map<Integer, Fd> fds = new HashMap<>();
  private final Map<String, Knote> knotes = new LinkedHashMap<>();
  private final Map<String, Integer> forcedErrors = new HashMap<>();
  private final ThreadLocal<int[]> errno = ThreadLocal.withInitial(() -> new int[1]);
  private int nextFd = 3;
  private int kq = -1;
  private int failNextKeventWith;
  private int failKqueueWith;
  final List<Call> calls = new ArrayList<>();

  SimulatedKqueue(KeventLayout layout) {
    this.layout = layout;
  }

  // ---- what tests use ------------------------------------------------------------------------

  /** A new open descriptor (a socket, say) with no readiness. */
  synchronized Fd newFd() {
    Fd f = new Fd(nextFd++);
    fds.put(f.number, f);
    return f;
  }

  /** A pipe: {@code [read end, write end]}; the write end starts writable. */
  synchronized Fd[] newPipe() {
    Fd r = newFd();
    Fd w = newFd();
    r.peer = w;
    w.peer = r;
    r.readEnd = true;
    w.writable = true;
    return new Fd[] {r, w};
  }

  /** The next {@code kevent} call fails with this errno before doing anything. */
  synchronized void failNextKevent(int e) {
    failNextKeventWith = e;
  }

  /** The next {@code kqueue} call fails with this errno. */
  synchronized void failKqueue(int e) {
    failKqueueWith = e;
  }

  /** Every later change to (ident, filter) with {@code EV_ADD} or {@code EV_DELETE} gets errno. */
  synchronized void forceError(long ident, int filter, int e) {
    forcedErrors.put(ident + "/" + filter, e);
  }

  /** Whether a filter is registered. */
  synchronized boolean hasKnote(long ident, int filter) {
    return knotes.containsKey(ident + "/" + filter);
  }

  /** The knote of a filter, or null. */
  synchronized Knote knote(long ident, int filter) {
    return knotes.get(ident + "/" + filter);
  }

  /** Bytes buffered in every pipe, together. */
  synchronized int bufferedBytes() {
    int n = 0;
    for (Fd f : fds.values()) {
      n += f.buffered;
    }
    return n;
  }

  /** Open descriptors, the kqueue included. */
  synchronized int openCount() {
    return fds.size() + (kq >= 0 ? 1 : 0);
  }

  /** The calls made so far that carried changes. */
  synchronized List<Call> changeCalls() {
    List<Call> out = new ArrayList<>();
    for (Call c : calls) {
      if (!c.changes.isEmpty()) {
        out.add(c);
      }
    }
    return out;
  }

  // ---- KqueueCalls ------------------------------------------------------------------------------

  @Override
  public synchronized int kqueue() {
    if (failKqueueWith != 0) {
      return fail(failKqueueWith);
    }
    kq = nextFd++;
    return kq;
  }

  @Override
  public int kevent(int q, long changes, int nchanges, long events, int nevents, long timeout) {
    int size = layout.size();
    ByteBuffer in = nchanges == 0 ? null
        : new Pointer(changes).getByteBuffer(0, (long) nchanges * size)
            .order(ByteOrder.nativeOrder());
    ByteBuffer out = nevents == 0 ? null
        : new Pointer(events).getByteBuffer(0, (long) nevents * size)
            .order(ByteOrder.nativeOrder());
    long deadline = -1;
    if (timeout != 0) {
      Pointer ts = new Pointer(timeout);
      long nanos = ts.getLong(Kqueue.OFFSET_TV_SEC) * 1_000_000_000L
          + ts.getLong(Kqueue.OFFSET_TV_NSEC);
      deadline = System.nanoTime() + nanos;
    }
    synchronized (this) {
      List<Change> seen = new ArrayList<>();
      for (int i = 0; i < nchanges; i++) {
        seen.add(new Change(layout.ident(in, i), layout.filter(in, i), layout.flags(in, i),
            layout.fflags(in, i), layout.udata(in, i)));
      }
      calls.add(new Call(List.copyOf(seen), nevents, timeout != 0));
      if (failNextKeventWith != 0) {
        int e = failNextKeventWith;
        failNextKeventWith = 0;
        return fail(e);
      }
      if (q != kq || kq < 0) {
        return fail(EBADF);
      }
      int n = 0;
      for (Change c : seen) {
        int e = apply(c);
        if (e != 0 || (c.flags & Kqueue.EV_RECEIPT) != 0) {
          if (n == nevents) {
            if (e != 0) {
              return fail(e);
            }
            continue;
          }
          int flags = bareReceiptFlags ? Kqueue.EV_ERROR : c.flags | Kqueue.EV_ERROR;
          layout.put(out, n++, c.ident, c.filter, flags, c.fflags, e, c.udata);
        }
      }
      if (n > 0 || nevents == 0) {
        return n;
      }
      for (; ; ) {
        n = scan(out, nevents);
        if (n > 0) {
          return n;
        }
        long wait;
        if (deadline < 0) {
          wait = 0; // forever
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return 0;
          }
          wait = Math.max(1, left / 1_000_000);
        }
        try {
          wait(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return fail(EINTR);
        }
      }
    }
  }

  // Applies one change; returns its errno, or 0.
  private int apply(Change c) {
    String key = c.ident + "/" + c.filter;
    Integer forced = forcedErrors.get(key);
    if (forced != null && (c.flags & (Kqueue.EV_ADD | Kqueue.EV_DELETE)) != 0) {
      return forced;
    }
    boolean user = c.filter == layout.evfiltUser();
    if (user && !layout.hasUserFilter()) {
      return EINVAL;
    }
    if (!user && c.filter != layout.evfiltRead() && c.filter != layout.evfiltWrite()) {
      return EINVAL;
    }
    Fd fd = user ? null : fds.get((int) c.ident);
    if (!user && fd == null) {
      return EBADF;
    }
    Knote k = knotes.get(key);
    if ((c.flags & Kqueue.EV_DELETE) != 0) {
      if (k == null) {
        return ENOENT;
      }
      knotes.remove(key);
      return 0;
    }
    if ((c.flags & Kqueue.EV_ADD) != 0) {
      if (k == null) {
        k = new Knote(c.ident, c.filter,
            c.flags & (Kqueue.EV_CLEAR | Kqueue.EV_ONESHOT), c.udata);
        k.triggered = !user && condition(k, fd);
        knotes.put(key, k);
        notifyAll(); // a blocked kevent on another thread sees the new knote
      } else {
        k.udata = c.udata;
      }
    } else if (k == null) {
      return ENOENT;
    }
    if (user && (c.fflags & Kqueue.NOTE_TRIGGER) != 0) {
      k.triggered = true;
      notifyAll();
    }
    if (epipeOnClosedPipe && c.filter == layout.evfiltWrite() && fd != null && fd.peer != null
        && fd.peer.closed) {
      return EPIPE;
    }
    return 0;
  }

  private boolean condition(Knote k, Fd fd) {
    if (k.filter == layout.evfiltRead()) {
      return fd.readable || fd.readEof || (fd.readEnd && fd.buffered > 0);
    }
    return fd.writable || fd.writeEof;
  }

  // Collects ready knotes into out; returns how many.
  private int scan(ByteBuffer out, int nevents) {
    int n = 0;
    Iterator<Knote> it = knotes.values().iterator();
    while (it.hasNext() && n < nevents) {
      Knote k = it.next();
      boolean user = k.filter == layout.evfiltUser();
      Fd fd = user ? null : fds.get((int) k.ident);
      boolean level = user ? k.triggered : condition(k, fd);
      boolean clear = (k.flags & Kqueue.EV_CLEAR) != 0;
      boolean fire = clear ? k.triggered && (user || level) : level;
      if (!fire) {
        continue;
      }
      int flags = k.flags;
      long data = 0;
      int fflags = 0;
      if (!user) {
        boolean eof = k.filter == layout.evfiltRead() ? fd.readEof : fd.writeEof;
        if (eof) {
          flags |= Kqueue.EV_EOF;
          fflags = fd.socketError;
        }
        data = k.filter == layout.evfiltRead() ? fd.buffered : 0;
      }
      layout.put(out, n++, k.ident, k.filter, flags, fflags, data, k.udata);
      if (clear) {
        k.triggered = false;
      }
      if ((k.flags & Kqueue.EV_ONESHOT) != 0) {
        it.remove();
      }
    }
    return n;
  }

  @Override
  public synchronized int pipe(int[] out) {
    Fd[] p = newPipe();
    out[0] = p[0].number;
    out[1] = p[1].number;
    return 0;
  }

  @Override
  public synchronized long read(int fd, long buf, long count) {
    Fd f = fds.get(fd);
    if (f == null) {
      return fail(EBADF);
    }
    if (f.buffered == 0) {
      return f.peer != null && f.peer.closed ? 0 : fail(EAGAIN);
    }
    int n = (int) Math.min(count, f.buffered);
    f.buffered -= n;
    if (f.peer != null && !f.peer.closed && f.buffered < pipeCapacity) {
      f.peer.writable = true;
    }
    return n;
  }

  @Override
  public synchronized long write(int fd, long buf, long count) {
    Fd f = fds.get(fd);
    if (f == null) {
      return fail(EBADF);
    }
    if (f.peer == null || f.readEnd) {
      return count;
    }
    if (f.peer.closed) {
      return fail(EPIPE);
    }
    int room = pipeCapacity - f.peer.buffered;
    if (room <= 0) {
      f.writable = false;
      return fail(EAGAIN);
    }
    int n = (int) Math.min(room, count);
    f.peer.buffered += n;
    f.peer.changed();
    return n;
  }

  @Override
  public synchronized int close(int fd) {
    if (fd == kq && kq >= 0) {
      kq = -1;
      knotes.clear();
      return 0;
    }
    Fd f = fds.remove(fd);
    if (f == null) {
      return fail(EBADF);
    }
    f.closed = true;
    knotes.values().removeIf(k -> k.filter != layout.evfiltUser() && k.ident == fd);
    if (f.peer != null && !f.peer.closed) {
      if (f.readEnd) {
        f.peer.writeEof = true;
      } else {
        f.peer.readEof = true;
      }
      f.peer.changed();
    }
    return 0;
  }

  @Override
  public int errno() {
    return errno.get()[0];
  }

  private int fail(int e) {
    errno.get()[0] = e;
    return -1;
  }
}
