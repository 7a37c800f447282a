/** Micrometer meters, registered only when the application has quarkus-micrometer. */
@NullMarked
package io.lamina.quarkus.runtime.metrics;

import org.jspecify.annotations.NullMarked;
