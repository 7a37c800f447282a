package io.lamina.warming;

/** What a warm-up may read. */
public enum WarmupMode {
  /** L2 first, in pipelined batches; then the source, through the cache's loaders, for what L2 lacks. */
  L2_THEN_SOURCE,
  /** Copy into L1 what L2 already holds; never call the source. Keys L2 lacks are counted as absent. */
  L2_ONLY
}
