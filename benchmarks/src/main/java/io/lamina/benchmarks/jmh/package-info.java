/** JMH benchmarks; {@code io.lamina.benchmarks} runs them and reads their results. */
@NullMarked
package io.lamina.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
