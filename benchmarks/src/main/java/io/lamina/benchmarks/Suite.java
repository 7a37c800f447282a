package io.lamina.benchmarks;

/** One benchmark suite: measures, with its baselines in the same run, and describes the result. */
public interface Suite {

  /** The suite's name on the command line and in {@code results/<name>.json}. */
  String name();

  /** Runs the suite at {@code ctx.scale()} and returns what it found. */
  SuiteReport run(Context ctx) throws Exception;
}
