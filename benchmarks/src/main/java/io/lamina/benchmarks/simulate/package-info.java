/**
 * The multi-node load simulator: nodes of each system in one JVM (each with its own connections), a simulated
 * source of truth with latency and versions, a Zipf read/write workload for a fixed time, and a stale-read
 * checker.
 */
@NullMarked
package io.lamina.benchmarks.simulate;

import org.jspecify.annotations.NullMarked;
