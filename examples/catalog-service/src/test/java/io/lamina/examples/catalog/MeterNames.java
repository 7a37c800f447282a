package io.lamina.examples.catalog;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Metric names: those a Prometheus scrape exports, and those a PromQL expression reads. */
final class MeterNames {

  /** The prefixes of the meters the observability assets may name (Lamina's, Micrometer's cache and HTTP). */
  private static final Pattern METRIC =
      Pattern.compile("\\b((?:lamina|cache|catalog|http_server)_[a-zA-Z0-9_:]*)");
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

  private MeterNames() {}

  /** The series names in a scrape in Prometheus' text format. */
  static Set<String> exported(String scrape) {
    Set<String> names = new TreeSet<>();
    scrape.lines().filter(l -> !l.startsWith("#")).forEach(l -> {
      Matcher m = SAMPLE.matcher(l);
      if (m.find()) {
        names.add(m.group(1));
      }
    });
    return names;
  }

  /** The metric names {@code promql} reads; label names never match, since they carry no such prefix. */
  static Set<String> read(String promql) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(promql);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
