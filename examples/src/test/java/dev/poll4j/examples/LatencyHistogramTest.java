package dev.poll4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void smallValuesAreExact() {
    LatencyHistogram h = new LatencyHistogram();
    for (long v = 0; v < 2 * LatencyHistogram.SUB_BUCKETS; v++) {
      h.record(v);
    }
    assertEquals(128, h.count());
    assertEquals(0, h.valueAtPercentile(0));
    assertEquals(63, h.valueAtPercentile(50));
    assertEquals(127, h.valueAtPercentile(100));
    assertEquals(63.5, h.mean());
  }

  @Test
  void everyValueLandsInABucketWhoseHighestValueIsAtMostOneSixtyFourthAbove() {
    SplittableRandom random = new SplittableRandom(42);
    int previous = -1;
    for (int i = 0; i < 100_000; i++) {
      long v = random.nextLong(1L << random.nextInt(1, 63));
      int b = LatencyHistogram.bucketOf(v);
      long high = LatencyHistogram.highestIn(b);
      assertTrue(high >= v, v + " -> bucket " + b + " up to " + high);
      assertTrue(high - v <= v / LatencyHistogram.SUB_BUCKETS, v + " -> " + high);
    }
    for (long v = 0; v < 1 << 20; v++) { // buckets are contiguous and ordered
      int b = LatencyHistogram.bucketOf(v);
      assertTrue(b == previous || b == previous + 1, "bucket of " + v);
      previous = b;
    }
    assertEquals(LatencyHistogram.BUCKETS - 1, LatencyHistogram.bucketOf(Long.MAX_VALUE));
    assertEquals(Long.MAX_VALUE, LatencyHistogram.highestIn(LatencyHistogram.BUCKETS - 1));
  }

  @Test
  void percentilesOfKnownDataAreWithinTheBucketError() {
    LatencyHistogram h = new LatencyHistogram();
    long[] values = new long[100_000];
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < values.length; i++) {
      values[i] = 1_000 + random.nextLong(10_000_000); // 1 us to 10 ms
      h.record(values[i]);
    }
    Arrays.sort(values);
    for (double p : new double[] {1, 50, 90, 99, 99.9, 100}) {
      long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
      long reported = h.valueAtPercentile(p);
      assertTrue(reported >= exact && reported - exact <= exact / 64,
          "p" + p + ": exact " + exact + ", reported " + reported);
    }
    assertEquals(values[0], h.min());
    assertEquals(values[values.length - 1], h.max());
    assertEquals(h.max(), h.valueAtPercentile(100), "never above the maximum");
  }

  @Test
  void addResetAndEdgeCases() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    assertEquals(0, a.valueAtPercentile(99));
    assertEquals(0, a.min());
    assertEquals(0, a.mean());
    a.record(-5); // a clock that went backwards counts as 0
    b.record(1_000_000);
    a.add(b);
    assertEquals(2, a.count());
    assertEquals(0, a.min());
    assertEquals(1_000_000, a.max());
    a.reset();
    assertEquals(0, a.count());
    assertEquals(0, a.max());
    assertThrows(IllegalArgumentException.class, () -> a.valueAtPercentile(100.5));
    assertThrows(IllegalArgumentException.class, () -> a.valueAtPercentile(Double.NaN));
  }
}
