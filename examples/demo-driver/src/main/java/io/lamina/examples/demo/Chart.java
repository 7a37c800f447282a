package io.lamina.examples.demo;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The demo's PNG: requests and database reads per second over the run, with the Redis outage marked. */
final class Chart {

  private Chart() {}

  /** One second of the run. */
  record Second(double t, double requests, double errors, double dbReads, boolean redisStopped) {}

  static void write(Path file, List<Second> seconds, String title) throws IOException {
    XYChart chart = new XYChartBuilder().width(1000).height(500).title(title).xAxisTitle("seconds")
        .yAxisTitle("per second").build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
    chart.getStyler().setChartTitleVisible(true);
    double[] t = seconds.stream().mapToDouble(Second::t).toArray();
    double peak = seconds.stream().mapToDouble(Second::requests).max().orElse(1);
    chart.addSeries("HTTP requests answered", t, seconds.stream().mapToDouble(Second::requests).toArray())
        .setMarker(SeriesMarkers.NONE);
    chart.addSeries("database reads (both instances)", t, seconds.stream().mapToDouble(Second::dbReads).toArray())
        .setMarker(SeriesMarkers.NONE);
    chart.addSeries("errors", t, seconds.stream().mapToDouble(Second::errors).toArray())
        .setMarker(SeriesMarkers.NONE);
    XYSeries outage = chart.addSeries("Redis stopped (SIGSTOP)", t,
        seconds.stream().mapToDouble(s -> s.redisStopped() ? peak : 0).toArray());
    outage.setXYSeriesRenderStyle(XYSeriesRenderStyle.Area).setMarker(SeriesMarkers.NONE);
    outage.setFillColor(new Color(160, 160, 160, 90));
    outage.setLineColor(new Color(120, 120, 120));
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
  }
}
