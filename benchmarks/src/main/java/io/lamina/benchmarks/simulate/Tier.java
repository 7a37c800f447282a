package io.lamina.benchmarks.simulate;

/** Which tier answered a read. */
public enum Tier {
  /** The node's own memory. */
  L1,
  /** The shared Redis. */
  L2,
  /** The source of truth (a source call). */
  SOURCE
}
