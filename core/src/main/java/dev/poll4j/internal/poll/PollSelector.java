package dev.poll4j.internal.poll;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.poll4j.Mode;
import dev.poll4j.internal.posix.Descriptors;
import dev.poll4j.internal.posix.Errors;
import dev.poll4j.internal.posix.Readiness;
import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.IoCalls;
import dev.poll4j.internal.posix.sys.Poll;
import dev.poll4j.spi.BackendSelector;
import dev.poll4j.spi.EventBuffer;
import dev.poll4j.spi.Ops;
import dev.poll4j.spi.Registration;
import dev.poll4j.spi.SourceHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The poll(2) selector.
 *
 * <p>poll(2) is level-triggered and stateless: the set of descriptors is an array passed on every
 * call. This selector keeps that array in native memory and rebuilds it only when registrations
 * changed. Entry 0 is the read end of the wake-up pipe.
 *
 * <p>Modes over a level-triggered call, the way the IOCP backend must do it too: each
 * registration has <em>armed</em> bits, the part of its interest that is currently asked of the
 * kernel. {@link Mode#LEVEL} keeps all interest armed. {@link Mode#EDGE} disarms what an event
 * reported, and re-arms it when an I/O call returns would-block ({@link #doRearm}).
 * {@link Mode#ONESHOT} disarms everything until reregistered. A registration with nothing armed
 * is left out of the array, so not even a hang-up is reported for it. Only the {@link
 * SourceHandle#directions() directions} the source can have are ever armed.
 *
 * <p>Changes while a poll(2) is in progress are never written into the array the kernel is
 * using (some kernels copy the whole array back on return): they mark it dirty and wake the
 * poll, which rebuilds the array before it waits again. Events that raced a deregistration are
 * dropped by checking the registration is still the live one for its descriptor.
 */
final class PollSelector extends BackendSelector {
  private static final int WAKE_INDEX = 0;

  private final Object lock = new Object();
  private final int wakeReadFd;
  private final int wakeWriteFd;
  // A few bytes of native memory: the byte written by doWakeup, and the drain buffer.
  private final Memory scratch = new Memory(64);
  private final ByteBuffer scratchBuf = scratch.getByteBuffer(0, 64);

  // Guarded by lock: live registrations by descriptor.
  private final Map<Integer, PollRegistration> byFd = new HashMap<>();
  // Guarded by lock: the pollfd array, and the registration at each index (null at WAKE_INDEX).
  private Memory fds;
  private ByteBuffer fdsView;
  private PollRegistration[] atIndex;
  private int count;
  private boolean dirty = true;
  private boolean polling;
  // Where the next scan of results starts, so a full EventBuffer does not starve later entries.
  private int scanFrom = 1;

  /** A registration and its armed bits. */
  static final class PollRegistration extends Registration {
    int armed; // guarded by the selector's lock
    int index = -1; // guarded by the selector's lock; -1 when not in the array

    PollRegistration(PollSelector s, SourceHandle h, long token, int interest, Mode mode) {
      super(s, h, token, interest, mode);
      this.armed = interest & h.directions();
    }
  }

  PollSelector() throws IOException {
    super(PollBackend.NAME, true);
    int[] pipe = Descriptors.nonBlockingPipe();
    wakeReadFd = pipe[0];
    wakeWriteFd = pipe[1];
    allocate(64);
  }

  private void allocate(int entries) {
    Memory old = fds;
    fds = new Memory((long) entries * Poll.SIZEOF_POLLFD);
    fdsView = fds.getByteBuffer(0, fds.size()).order(ByteOrder.nativeOrder());
    atIndex = new PollRegistration[entries];
    if (old != null) {
      old.close();
    }
  }

  // ---- registration -------------------------------------------------------------------------

  @Override
  protected Registration doRegister(SourceHandle handle, long token, int interest, Mode mode)
      throws IOException {
    int fd = handle.fd();
    Descriptors.checkPollable("poll4j register (poll backend)", fd);
    synchronized (lock) {
      if (byFd.containsKey(fd)) {
        throw Errors.exception("poll4j register (poll backend)", Errno.EEXIST,
            Errors.registerDetail(Errno.EEXIST, fd));
      }
      PollRegistration r = new PollRegistration(this, handle, token, interest, mode);
      byFd.put(fd, r);
      changed();
      return r;
    }
  }

  @Override
  protected void doReregister(Registration reg, long token, int interest, Mode mode) {
    PollRegistration r = (PollRegistration) reg;
    synchronized (lock) {
      r.update(token, interest, mode);
      r.armed = interest & r.handle().directions();
      updateEntry(r);
    }
  }

  @Override
  protected void doDeregister(Registration reg, boolean handleClosing) {
    PollRegistration r = (PollRegistration) reg;
    synchronized (lock) {
      byFd.remove(r.handle().fd(), r);
      r.armed = 0;
      updateEntry(r);
    }
  }

  @Override
  protected void doRearm(Registration reg, int ops) {
    PollRegistration r = (PollRegistration) reg;
    synchronized (lock) {
      int add = ops & ~r.armed & r.handle().directions();
      if (add != 0) {
        r.armed |= add;
        updateEntry(r);
      }
    }
  }

  // The registration's armed bits changed: patch its pollfd in place when the kernel is not
  // using the array, else rebuild before the next wait.
  private void updateEntry(PollRegistration r) {
    assert Thread.holdsLock(lock);
    if (!polling && !dirty && r.index > 0) {
      writeEntry(r.index, r.armed == 0 ? -1 : r.handle().fd(), pollEvents(r.armed));
      if (r.armed == 0) {
        atIndex[r.index] = null;
        r.index = -1;
      }
    } else {
      changed();
    }
  }

  private void changed() {
    assert Thread.holdsLock(lock);
    dirty = true;
    if (polling) {
      wakeup();
    }
  }

  private void rebuild() {
    assert Thread.holdsLock(lock);
    int needed = 1 + byFd.size();
    if (needed > atIndex.length) {
      allocate(Integer.highestOneBit(needed - 1) << 1);
    }
    Arrays.fill(atIndex, 0, Math.max(count, 1), null);
    writeEntry(WAKE_INDEX, wakeReadFd, Poll.POLLIN);
    int n = 1;
    for (PollRegistration r : byFd.values()) {
      if (r.armed != 0) {
        writeEntry(n, r.handle().fd(), pollEvents(r.armed));
        atIndex[n] = r;
        r.index = n++;
      } else {
        r.index = -1;
      }
    }
    count = n;
    if (scanFrom >= n) {
      scanFrom = 1;
    }
    dirty = false;
  }

  private void writeEntry(int i, int fd, short events) {
    int off = i * Poll.SIZEOF_POLLFD;
    fdsView.putInt(off + Poll.OFFSET_FD, fd);
    fdsView.putShort(off + Poll.OFFSET_EVENTS, events);
    fdsView.putShort(off + Poll.OFFSET_REVENTS, (short) 0);
  }

  private static short pollEvents(int armed) {
    int ev = 0;
    if ((armed & Ops.READABLE) != 0) {
      ev |= Poll.POLLIN | Poll.POLLRDHUP;
    }
    if ((armed & Ops.WRITABLE) != 0) {
      ev |= Poll.POLLOUT;
    }
    if ((armed & Ops.PRIORITY) != 0) {
      ev |= Poll.POLLPRI;
    }
    return (short) ev;
  }

  // ---- select -------------------------------------------------------------------------------

  @Override
  protected void doSelect(EventBuffer buffer, long timeoutNanos) throws IOException {
    long address;
    int n;
    synchronized (lock) {
      if (dirty) {
        rebuild();
      }
      polling = true;
      address = Pointer.nativeValue(fds);
      n = count;
    }
    int rc = IoCalls.CURRENT.poll(address, n, Readiness.timeoutMillis(timeoutNanos));
    int errno = rc < 0 ? -rc : 0;
    synchronized (lock) {
      polling = false;
      if (rc < 0) {
        if (errno == Errno.EINTR) {
          return;
        }
        throw Errors.exception("poll", errno);
      }
      if (rc > 0) {
        collect(buffer, n);
      }
    }
  }

  private void collect(EventBuffer buffer, int n) {
    if (revents(WAKE_INDEX) != 0) {
      drainWakePipe();
      wakeupDrained();
    }
    int start = scanFrom;
    int span = n - 1;
    for (int k = 0; k < span; k++) {
      int i = 1 + (start - 1 + k) % span;
      int rev = revents(i);
      if (rev == 0) {
        continue;
      }
      if (buffer.remaining() == 0) {
        scanFrom = i;
        return;
      }
      PollRegistration r = atIndex[i];
      if (r == null || !r.isLive() || r.index != i) {
        continue;
      }
      if ((rev & Poll.POLLNVAL) != 0) {
        // Closed without deregistering: drop it, as epoll does when the last reference goes.
        byFd.remove(r.handle().fd(), r);
        r.armed = 0;
        dirty = true;
        continue;
      }
      int ready = Readiness.translate(rev, r.armed);
      if (ready == 0) {
        continue;
      }
      buffer.add(r.token(), ready);
      if (r.mode() != Mode.LEVEL) {
        r.armed = Ops.armedAfter(r.mode(), r.armed, ready);
        updateEntry(r);
      }
    }
    scanFrom = 1;
  }

  private int revents(int i) {
    return fdsView.getShort(i * Poll.SIZEOF_POLLFD + Poll.OFFSET_REVENTS) & 0xffff;
  }

  // ---- wake-up and close --------------------------------------------------------------------

  private void drainWakePipe() {
    // Bytes 8..63 of scratch; byte 0 is the one doWakeup writes, possibly concurrently.
    long addr = Pointer.nativeValue(scratch) + 8;
    while (IoCalls.CURRENT.read(wakeReadFd, addr, scratch.size() - 8) > 0) {
      // keep reading until EAGAIN
    }
  }

  @Override
  protected void doWakeup() throws IOException {
    scratchBuf.put(0, (byte) 1);
    long rc = IoCalls.CURRENT.write(wakeWriteFd, Pointer.nativeValue(scratch), 1);
    if (rc < 0) {
      int errno = (int) -rc;
      if (errno != Errno.EAGAIN) {
        throw Errors.exception("write(wake-up pipe)", errno);
      }
    }
  }

  @Override
  protected void doClose() throws IOException {
    // Memory first, then descriptors: a failed close must not leave the buffers behind.
    synchronized (lock) {
      for (PollRegistration r : byFd.values()) {
        r.armed = 0;
      }
      byFd.clear();
      fds.close();
      scratch.close();
    }
    Descriptors.closeAll(wakeReadFd, wakeWriteFd);
  }
}
