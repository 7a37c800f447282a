package io.lamina.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts through XChart: grouped bars, latency percentile curves and lines. */
public final class Charts {

  private static final int WIDTH = 900;
  private static final int HEIGHT = 480;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /**
   * Grouped bars: one group per category, one bar per series.
   *
   * @param series series name → one value per category (NaN for none)
   */
  public static void bars(Path file, String title, String yTitle, List<String> categories,
      Map<String, List<Double>> series, boolean logarithmic) {
    int labels = categories.stream().mapToInt(String::length).sum();
    CategoryChart chart = new CategoryChartBuilder().width(labels > 70 ? WIDTH + 200 : WIDTH).height(HEIGHT)
        .title(title).yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setYAxisLogarithmic(logarithmic);
    chart.getStyler().setXAxisLabelRotation(categories.size() > 6 || labels > 110 ? 20 : 0);
    chart.getStyler().setYAxisDecimalPattern("#,##0.##");
    for (Map.Entry<String, List<Double>> s : series.entrySet()) {
      List<Double> values = new ArrayList<>();
      for (Double v : s.getValue()) {
        values.add(v == null || v.isNaN() ? 0.0 : v);
      }
      chart.addSeries(s.getKey(), categories, values);
    }
    save(chart, file);
  }

  /**
   * Latency percentile curves (HdrHistogram style): x counts the nines of the percentile (0 → p0, 1 → p90,
   * 2 → p99, 3 → p99.9), y is microseconds on a log scale.
   *
   * @param curves series name → points (percentile, microseconds)
   */
  public static void percentiles(Path file, String title, Map<String, List<double[]>> curves) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("percentile")
        .yAxisTitle("latency (µs)").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> {
      double p = 100 * (1 - Math.pow(10, -x));
      return String.format(Locale.ROOT, p >= 99.5 ? "p%.2f" : "p%.0f", p);
    });
    for (Map.Entry<String, List<double[]>> c : curves.entrySet()) {
      if (c.getValue().isEmpty()) {
        continue;
      }
      double[] x = new double[c.getValue().size()];
      double[] y = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = -Math.log10(1 - c.getValue().get(i)[0] / 100.0);
        y[i] = Math.max(0.1, c.getValue().get(i)[1]);
      }
      chart.addSeries(c.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
    }
    save(chart, file);
  }

  /**
   * Lines over a numeric x axis.
   *
   * @param series series name → {x values, y values}
   */
  public static void lines(Path file, String title, String xTitle, String yTitle, Map<String, double[][]> series) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setYAxisDecimalPattern("#,##0");
    for (Map.Entry<String, double[][]> s : series.entrySet()) {
      chart.addSeries(s.getKey(), s.getValue()[0], s.getValue()[1]).setMarker(SeriesMarkers.CIRCLE);
    }
    save(chart, file);
  }

  private static void save(Chart<?, ?> chart, Path file) {
    try {
      Files.createDirectories(Objects.requireNonNull(file.toAbsolutePath().getParent(), "folder"));
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file.getFileName(), e);
    }
  }
}
