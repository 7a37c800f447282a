/** Lamina's benchmarks: suites, the load simulator and the report they write. */
@NullMarked
package io.lamina.benchmarks;

import org.jspecify.annotations.NullMarked;
