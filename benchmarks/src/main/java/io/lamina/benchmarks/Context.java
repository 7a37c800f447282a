package io.lamina.benchmarks;

import java.nio.file.Path;

/**
 * Where a suite runs and writes.
 *
 * @param scale how long it measures
 * @param results the folder of {@code <suite>.json}
 * @param plots the folder of the PNG plots
 * @param report the Markdown report regenerated after each suite
 */
public record Context(Scale scale, Path results, Path plots, Path report) {

  /** The path of a plot file named {@code name}. */
  public Path plot(String name) {
    return plots.resolve(name);
  }

  /** Prints a progress line (suites take minutes; silence would look like a hang). */
  public void log(String message) {
    System.out.println("[bench] " + message);
    System.out.flush();
  }
}
