package io.lamina.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Figures per key over a suite's runs, in insertion order, with their medians. */
public final class Runs {

  private final Map<String, List<Double>> values = new LinkedHashMap<>();

  /** Adds one run's figure for {@code key}. */
  public void add(String key, double value) {
    values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
  }

  /** Adds one run's count for {@code key}. */
  public void add(String key, long count) {
    add(key, (double) count);
  }

  /** Every run's figure for {@code key} (empty when none). */
  public List<Double> all(String key) {
    return values.getOrDefault(key, List.of());
  }

  /** The median over runs, NaN when there is none. */
  public double median(String key) {
    return Stats.median(all(key));
  }

  /** Whether any run recorded {@code key}. */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** The keys in the order they were first recorded. */
  public Set<String> keys() {
    return values.keySet();
  }

  /** The per-run figures of {@code key} as text, for a table. */
  public String perRun(String key) {
    List<String> s = new ArrayList<>();
    all(key).forEach(v -> s.add(Stats.fmt(v)));
    return String.join(", ", s);
  }
}
