package io.lamina.examples.demo;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sums of samples from Prometheus' text exposition format, selected by metric name and label values. */
final class Prometheus {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+([-+0-9.eEInfa]+)(?:\\s+\\d+)?$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final String text;

  Prometheus(String text) {
    this.text = text;
  }

  /** The sum of every sample of {@code metric} whose labels include {@code labels} (name, value pairs). */
  double sum(String metric, String... labels) {
    double total = 0;
    for (String line : (Iterable<String>) text.lines()::iterator) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line.strip());
      if (!m.matches() || !m.group(1).equals(metric)) {
        continue;
      }
      Map<String, String> found = new HashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          found.put(l.group(1), l.group(2));
        }
      }
      boolean match = true;
      for (int i = 0; i + 1 < labels.length; i += 2) {
        match &= labels[i + 1].equals(found.get(labels[i]));
      }
      if (match) {
        double v = Double.parseDouble(m.group(3));
        total += Double.isNaN(v) ? 0 : v;
      }
    }
    return total;
  }
}
