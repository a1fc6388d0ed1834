package dev.poll4j.examples;

import java.util.Arrays;

/**
 * A log-linear histogram of latencies in nanoseconds, in the manner of HdrHistogram but without
 * the dependency: recording is a few arithmetic operations and one array increment, and
 * allocates nothing.
 *
 * <p>Values below {@code 2 * }{@value #SUB_BUCKETS} are counted exactly. Above, each power of
 * two is split into {@value #SUB_BUCKETS} equal buckets, so a reported value is at most 1/{@value
 * #SUB_BUCKETS} (about 1.6 %) above the true one: {@link #valueAtPercentile} returns the highest
 * value its bucket can hold, like HdrHistogram's "highest equivalent value". The whole range of
 * {@code long} fits in 3,712 buckets (29 KiB). Minimum, maximum and mean are exact.
 *
 * <p>Not thread-safe: one thread records, and reads happen on that thread or after it is done.
 */
public final class LatencyHistogram {
  /** Buckets per power of two; a power of two itself, {@code 1 << SUB_BITS}. */
  static final int SUB_BUCKETS = 64;
  private static final int SUB_BITS = Integer.numberOfTrailingZeros(SUB_BUCKETS);
  /** Buckets in all: exact ones up to {@code 2 * SUB_BUCKETS}, then SUB_BUCKETS per octave. */
  static final int BUCKETS = bucketOf(Long.MAX_VALUE) + 1;

  private final long[] counts = new long[BUCKETS];
  private long count;
  private long sum;
  private long min = Long.MAX_VALUE;
  private long max;

  /** Creates an empty histogram. */
  public LatencyHistogram() {}

  /**
   * Counts one value.
   *
   * @param nanos the latency; negative values (a clock that went backwards) count as 0
   */
  public void record(long nanos) {
    long v = Math.max(nanos, 0);
    counts[bucketOf(v)]++;
    count++;
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }

  /**
   * Adds every value counted by {@code other}.
   *
   * @param other another histogram; unchanged
   */
  public void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    count += other.count;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  /** Forgets every value. */
  public void reset() {
    Arrays.fill(counts, 0);
    count = 0;
    sum = 0;
    min = Long.MAX_VALUE;
    max = 0;
  }

  /**
   * Values counted.
   *
   * @return the count
   */
  public long count() {
    return count;
  }

  /**
   * The smallest value counted.
   *
   * @return nanoseconds, or 0 if empty
   */
  public long min() {
    return count == 0 ? 0 : min;
  }

  /**
   * The largest value counted.
   *
   * @return nanoseconds, or 0 if empty
   */
  public long max() {
    return max;
  }

  /**
   * The mean of the values counted.
   *
   * @return nanoseconds, or 0 if empty
   */
  public double mean() {
    return count == 0 ? 0 : (double) sum / count;
  }

  /**
   * The value at or below which {@code percentile} percent of the values lie, as the highest
   * value of its bucket, and never above {@link #max()}.
   *
   * @param percentile 0 to 100; 50 is the median
   * @return nanoseconds, or 0 if empty
   * @throws IllegalArgumentException if {@code percentile} is outside 0..100
   */
  public long valueAtPercentile(double percentile) {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile not in 0..100: " + percentile);
    }
    if (count == 0) {
      return 0;
    }
    // The rank of the value wanted, 1-based: at least 1, so that percentile 0 means the minimum.
    long rank = Math.max(1, (long) Math.ceil(percentile / 100 * count));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(highestIn(i), max);
      }
    }
    return max; // not reached: the counts add up to count
  }

  /** The bucket of a value {@code >= 0}. */
  static int bucketOf(long v) {
    if (v < 2 * SUB_BUCKETS) {
      return (int) v; // exact
    }
    // v has its top bit at 'top' >= SUB_BITS + 1; keep SUB_BITS + 1 bits of it.
    int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS;
    return shift * SUB_BUCKETS + (int) (v >>> shift);
  }

  /** The highest value that falls into bucket {@code i}. */
  static long highestIn(int i) {
    if (i < 2 * SUB_BUCKETS) {
      return i;
    }
    int shift = i / SUB_BUCKETS - 1;
    long top = i - (long) shift * SUB_BUCKETS; // SUB_BUCKETS .. 2 * SUB_BUCKETS - 1
    long highest = ((top + 1) << shift) - 1;
    return highest < 0 ? Long.MAX_VALUE : highest; // the last bucket ends at Long.MAX_VALUE
  }

  @Override
  public String toString() {
    return "LatencyHistogram[count=" + count + ", p50=" + valueAtPercentile(50) + " ns, p99="
        + valueAtPercentile(99) + " ns, max=" + max + " ns]";
  }
}
