package dev.poll4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.poll4j.epoll.sys.EpollBinding;
import dev.poll4j.internal.posix.sys.Errno;
import dev.poll4j.internal.posix.sys.IoCalls;
import dev.poll4j.internal.posix.sys.NativeBinding;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The native calls allocate nothing however deep in a caller's stack they sit. The JIT removes an
 * allocation by escape analysis only within one compilation, and it inlines calls only so deep
 * into one ({@code MaxInlineLevel}); a call that makes a temporary object inside its own code (as
 * the JDK's FFM downcalls that capture errno do) then allocates for real when the inlining depth
 * runs out in the middle of it, which depends on how deep the caller is. So this test makes the
 * same failing calls (a {@code read} and an {@code epoll_wait} of descriptor -1) from {@value
 * #DEPTHS} different depths, each a chain of distinct methods (the JIT inlines recursion one level
 * only). At each depth, once a round of calls has allocated nothing beyond the JVM's own few
 * hundred bytes (within {@value #ROUNDS} rounds), the next {@value #CHECKED} must not either. It
 * runs on whichever binding is in use; {@code FfmIoCalls} says how the FFM binding meets it.
 */
@EnabledOnOs(OS.LINUX)
class DowncallDepthAllocationTest {
  private static final int DEPTHS = 15;
  private static final int CALLS = 10_000;
  private static final int ROUNDS = 40;
  private static final int CHECKED = 5;
  // A round may see a few hundred bytes of the JVM's own (a deoptimization, a class resolved late);
  // an allocation per call is 40 B x 10,000 when every call allocates, tens of KB when some do.
  private static final long TOLERANCE = 1024;

  @Test
  void downcallsAllocateNothingAtAnyCallDepth() {
    AllocationConformance.Allocations counter = AllocationConformance.Allocations.onThisThread();
    long[] found = new long[DEPTHS];
    try (Memory m = new Memory(64)) {
      m.clear();
      long buf = Pointer.nativeValue(m);
      for (int depth = 1; depth <= DEPTHS; depth++) {
        // Warm up until a round allocates (almost) nothing, then every one of CHECKED must too.
        long used = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS && used > TOLERANCE; round++) {
          used = round(counter, depth, buf);
        }
        for (int round = 0; round < CHECKED && used <= TOLERANCE; round++) {
          used = round(counter, depth, buf);
        }
        found[depth - 1] = used;
      }
    }
    assertTrue(
        Arrays.stream(found).allMatch(used -> used <= TOLERANCE),
        "bytes allocated by a round of "
            + CALLS
            + " calls after warm-up, at depths 1.."
            + DEPTHS
            + " on the "
            + NativeBinding.name()
            + " binding: "
            + Arrays.toString(found));
  }

  private static long round(AllocationConformance.Allocations counter, int depth, long buf) {
    long calibration = counter.calibration();
    long before = counter.bytes();
    long sum = loop(depth, buf);
    long used = counter.bytes() - before - calibration;
    assertEquals(-2L * CALLS * Errno.EBADF, sum, "every call fails with EBADF");
    return used;
  }

  // One loop per depth, so that each is compiled on its own, with its own inlining.
  private static long loop(int depth, long buf) {
    return switch (depth) {
      case 1 -> loop1(buf);
      case 2 -> loop2(buf);
      case 3 -> loop3(buf);
      case 4 -> loop4(buf);
      case 5 -> loop5(buf);
      case 6 -> loop6(buf);
      case 7 -> loop7(buf);
      case 8 -> loop8(buf);
      case 9 -> loop9(buf);
      case 10 -> loop10(buf);
      case 11 -> loop11(buf);
      case 12 -> loop12(buf);
      case 13 -> loop13(buf);
      case 14 -> loop14(buf);
      case 15 -> loop15(buf);
      default -> throw new IllegalArgumentException("depth " + depth);
    };
  }

  private static long loop1(long buf) {
    long sum = 0;
    for (int i = 0; i < CALLS; i++) {
      sum += f1(buf);
    }
    return sum;
  }

  private static long loop2(long buf) {
    long sum = 0;
    for (int i = 0; i < CALLS; i++) {
      sum += f2(buf);
    }
    return sum;
  }

  private static long loop3(long buf) {
    long sum = 0;
    for (int i = 0; i < CALLS; i++) {
      sum += f3(buf);
    }
    return sum;
  }

  private static long loop4(long buf) {
    long sum = 0;
    for (int i = 0; i < CALLS; i++) {
      sum += f4(buf);
    }
    return sum;
  }

  private static long loop5(long buf) {
    long sum = 0;
    for (int i = 0; i < CALLS; i++) {
      sum += f5(buf);
    }
    return sum;
  }

  private static long loop6(long buf) {
    long sum = 0;
    for (int i = 0; i < CALLS; i++) {
      sum += f6(buf);
    }
    return sum;
  }

  private static long loop7(long buf) {
    long sum = 0;
    for (int i = 0; i < CALLS; i++) {
      sum += f7(buf);
    }
    return sum;
  }

  private static long loop8(long buf) {
    long sum = 0;
    for (int i = 0; i < CALLS; i++) {
      sum += f8(buf);
    }
    return sum;
  }

  private static long loop9(long buf) {
    long sum = 0;
    for (int i = 0; i < CALLS; i++) {
      sum += f9(buf);
    }
    return sum;
  }

  private static long loop10(long buf) {
    long sum = 0;
    for (int i = 0; i < CALLS; i++) {
      sum += f10(buf);
    }
    return sum;
  }

  private static long loop11(long buf) {
    long sum = 0;
    for (int i = 0; i < CALLS; i++) {
      sum += f11(buf);
    }
    return sum;
  }

  private static long loop12(long buf) {
    long sum = 0;
    for (int i = 0; i < CALLS; i++) {
      sum += f12(buf);
    }
    return sum;
  }

  private static long loop13(long buf) {
    long sum = 0;
    for (int i = 0; i < CALLS; i++) {
      sum += f13(buf);
    }
    return sum;
  }

  private static long loop14(long buf) {
    long sum = 0;
    for (int i = 0; i < CALLS; i++) {
      sum += f14(buf);
    }
    return sum;
  }

  private static long loop15(long buf) {
    long sum = 0;
    for (int i = 0; i < CALLS; i++) {
      sum += f15(buf);
    }
    return sum;
  }

  // f1 calls the natives 15 frames down, f15 directly.
  private static long f1(long buf) {
    return f2(buf);
  }

  private static long f2(long buf) {
    return f3(buf);
  }

  private static long f3(long buf) {
    return f4(buf);
  }

  private static long f4(long buf) {
    return f5(buf);
  }

  private static long f5(long buf) {
    return f6(buf);
  }

  private static long f6(long buf) {
    return f7(buf);
  }

  private static long f7(long buf) {
    return f8(buf);
  }

  private static long f8(long buf) {
    return f9(buf);
  }

  private static long f9(long buf) {
    return f10(buf);
  }

  private static long f10(long buf) {
    return f11(buf);
  }

  private static long f11(long buf) {
    return f12(buf);
  }

  private static long f12(long buf) {
    return f13(buf);
  }

  private static long f13(long buf) {
    return f14(buf);
  }

  private static long f14(long buf) {
    return f15(buf);
  }

  private static long f15(long buf) {
    return IoCalls.CURRENT.read(-1, buf, 8) + EpollBinding.CURRENT.epollWait(-1, buf, 1, 0);
  }
}
