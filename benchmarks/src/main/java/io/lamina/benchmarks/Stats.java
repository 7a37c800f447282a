package io.lamina.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Medians and ratios over runs. */
public final class Stats {

  private Stats() {}

  /** The median (the mean of the middle two for an even count); NaN when empty. */
  public static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    int mid = v.length / 2;
    return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  }

  /** The median of {@code values}. */
  public static double median(double... values) {
    return median(Arrays.stream(values).boxed().toList());
  }

  /** Rounds to three significant digits for tables (keeps JSON small and honest about precision). */
  public static double round3(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return v;
    }
    double scale = Math.pow(10, 2 - Math.floor(Math.log10(Math.abs(v))));
    return Math.round(v * scale) / scale;
  }

  /** A compact text for a table cell. */
  public static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    double r = round3(v);
    if (Math.abs(r) >= 1000 || r == Math.rint(r)) {
      return String.format(Locale.ROOT, "%,.0f", r);
    }
    return String.format(Locale.ROOT, "%s", r);
  }
}
