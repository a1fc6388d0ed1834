package dev.poll4j.internal.posix;

import dev.poll4j.internal.posix.sys.BufferAddress;
import dev.poll4j.internal.posix.sys.Socket;
import dev.poll4j.internal.windows.sys.Winsock2;
import java.lang.ref.WeakReference;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Native memory for socket calls, one block per thread: the socket addresses passed to and
 * returned by the kernel, {@code socklen_t} and option values, a {@code msghdr} and an {@code
 * iovec} array. Allocated on a thread's first socket call and reused, so no socket call
 * allocates native memory or garbage for it.
 *
 * <p>Also per thread, and for the same reason: the encoded form of the last destination address
 * (a datagram socket sending to the same {@code SocketAddress} object again skips encoding),
 * the last decoded source address (a datagram from the same sender returns the same {@code
 * SocketAddress} object), and the base addresses of recently used direct buffers (for {@code
 * iovec}s, and for every {@code read}, {@code write}, {@code recv} and {@code send} of a direct
 * buffer, here and in {@link FdIo}).
 *
 * <p>Everything here is valid until the thread's next socket call; nothing may be kept.
 */
public final class SocketScratch {
  /** A sockaddr to the kernel ({@link Sockaddr#STORAGE_SIZE} bytes). */
  public static final int ADDR_OUT = 0;
  /** A sockaddr from the kernel ({@link Sockaddr#STORAGE_SIZE} bytes). */
  public static final int ADDR_IN = ADDR_OUT + Sockaddr.STORAGE_SIZE;
  /** A {@code socklen_t} (in/out length of {@link #ADDR_IN} or {@link #VALUE}). */
  public static final int LEN = ADDR_IN + Sockaddr.STORAGE_SIZE;
  /** An option value or small struct: 32 bytes. */
  public static final int VALUE = LEN + 8;
  /** A {@code struct msghdr} (at most 64 bytes). */
  public static final int MSG = VALUE + 32;
  /** One byte of data (urgent data). */
  public static final int BYTE = MSG + 64;
  /** The {@code iovec} (Windows: {@code WSABUF}) array, {@link Socket#IOV_MAX} entries. */
  public static final int IOV = BYTE + 64;
  /** Size of the block. */
  private static final int SIZE =
      IOV + Socket.IOV_MAX * Math.max(Socket.SIZEOF_IOVEC, Winsock2.SIZEOF_WSABUF);
  /** How many direct-buffer base addresses are remembered. */
  private static final int ADDRESS_CACHE = 16;

  private static final ThreadLocal<SocketScratch> CURRENT =
      ThreadLocal.withInitial(SocketScratch::new);

  /** The block, in native byte order. */
  public final ByteBuffer mem;
  /** The block's native address. */
  public final long address;
  /** A one-byte view of {@link #BYTE}, for calls that take a buffer. */
  public final ByteBuffer oneByte;

  /** Entries filled by the last scatter/gather setup on this thread. */
  public int iovCount;
  /** For each of those entries, the index of its buffer in the caller's array. */
  public final int[] iovBuffer = new int[Socket.IOV_MAX];
  /** The staging buffer the last scatter/gather setup used, or null. */
  public ByteBuffer stage;

  // The last destination encoded at ADDR_OUT, for which socket family, and its length. Only
  // immutable SocketAddress types are accepted, so identity implies equal content.
  private SocketAddress lastTarget;
  private int lastTargetFamily;
  private int lastTargetLength;
  // The raw bytes and the decoded form of the last source address read at ADDR_IN.
  private final byte[] lastSourceRaw = new byte[Sockaddr.STORAGE_SIZE];
  private int lastSourceLength = -1;
  private SocketAddress lastSource;
  // Direct buffers (weakly held, so the cache never keeps their memory alive) and base addresses.
  private final WeakReference<?>[] buffers = new WeakReference<?>[ADDRESS_CACHE];
  private final long[] bases = new long[ADDRESS_CACHE];
  private int nextSlot;

  private SocketScratch() {
    mem = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());
    address = BufferAddress.at(mem);
    oneByte = mem.slice(BYTE, 1);
  }

  /**
   * The calling thread's block.
   *
   * @return the block; use it only on this thread, and only until the next socket call
   */
  public static SocketScratch get() {
    return CURRENT.get();
  }

  /**
   * The native address of a field of the block.
   *
   * @param offset one of the offsets above
   * @return its address
   */
  public long at(int offset) {
    return address + offset;
  }

  /**
   * Encodes a destination at {@link #ADDR_OUT}, unless it is the one encoded last for the same
   * family.
   *
   * @param target the address
   * @param socketFamily the socket's family
   * @return the sockaddr's length
   * @see Sockaddr#put
   */
  public int putTarget(SocketAddress target, int socketFamily) {
    if (target == lastTarget && socketFamily == lastTargetFamily) {
      return lastTargetLength;
    }
    lastTarget = null; // in case encoding fails half way
    int len = Sockaddr.put(mem, ADDR_OUT, target, socketFamily);
    lastTarget = target;
    lastTargetFamily = socketFamily;
    lastTargetLength = len;
    return len;
  }

  /**
   * Decodes the source address the kernel wrote at {@link #ADDR_IN}; the same object as last
   * time when the bytes are the same.
   *
   * @param len the length the kernel reported
   * @return the address, or null when there is none
   */
  public SocketAddress getSource(int len) {
    int n = Math.min(len, Sockaddr.STORAGE_SIZE);
    if (n == lastSourceLength && lastSource != null) {
      boolean same = true;
      for (int i = 0; i < n; i++) {
        if (mem.get(ADDR_IN + i) != lastSourceRaw[i]) {
          same = false;
          break;
        }
      }
      if (same) {
        return lastSource;
      }
    }
    SocketAddress a = Sockaddr.get(mem, ADDR_IN, n);
    for (int i = 0; i < n; i++) {
      lastSourceRaw[i] = mem.get(ADDR_IN + i);
    }
    lastSourceLength = n;
    lastSource = a;
    return a;
  }

  /**
   * The address of a direct buffer's element at its position, for an {@code iovec}.
   *
   * @param buf a direct buffer
   * @return its base address plus its position
   */
  public long directAddress(ByteBuffer buf) {
    for (int i = 0; i < ADDRESS_CACHE; i++) {
      WeakReference<?> ref = buffers[i];
      if (ref != null && ref.get() == buf) {
        return bases[i] + buf.position();
      }
    }
    long at = BufferAddress.at(buf);
    int slot = nextSlot;
    nextSlot = (slot + 1) % ADDRESS_CACHE;
    buffers[slot] = new WeakReference<>(buf);
    bases[slot] = at - buf.position();
    return at;
  }
}
