package io.lamina.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A latency distribution in nanoseconds on an HdrHistogram (three significant digits), safe to record from many
 * threads, summarised in microseconds.
 */
public final class Latency {

  /** Percentiles every summary carries. */
  private static final double[] PERCENTILES = {50, 90, 99, 99.9};

  private final Recorder recorder = new Recorder(3);
  private final Histogram total = new Histogram(3);

  /** Records one latency; negative values (a callback that beat the caller's clock read) count as zero. */
  public void record(long nanos) {
    recorder.recordValue(Math.max(0, nanos));
  }

  /** Everything recorded so far. */
  public synchronized Histogram histogram() {
    total.add(recorder.getIntervalHistogram());
    return total.copy();
  }

  /** The value at {@code percentile} in microseconds. */
  public double micros(double percentile) {
    return histogram().getValueAtPercentile(percentile) / 1000.0;
  }

  /** count, mean, p50, p90, p99, p99.9 and max, in microseconds. */
  public ObjectNode summary() {
    return summary(histogram());
  }

  /** The summary of {@code h}. */
  public static ObjectNode summary(Histogram h) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("count", h.getTotalCount());
    n.put("meanMicros", round(h.getMean() / 1000.0));
    for (double p : PERCENTILES) {
      n.put(key(p), round(h.getValueAtPercentile(p) / 1000.0));
    }
    n.put("maxMicros", round(h.getMaxValue() / 1000.0));
    return n;
  }

  /** The summary key of a percentile: {@code p50Micros}, {@code p99.9Micros}. */
  public static String key(double percentile) {
    String p = percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile);
    return "p" + p + "Micros";
  }

  /** Points (percentile, microseconds) of the distribution from p0 to p99.99, for plotting. */
  public static List<double[]> curve(Histogram h) {
    List<double[]> points = new ArrayList<>();
    for (double p : new double[] {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99}) {
      if (h.getTotalCount() > 0) {
        points.add(new double[] {p, h.getValueAtPercentile(p) / 1000.0});
      }
    }
    return points;
  }

  static double round(double v) {
    return Math.round(v * 10.0) / 10.0;
  }
}
