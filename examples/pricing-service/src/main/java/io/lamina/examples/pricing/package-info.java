/** An example Quarkus service: price quotes over PostgreSQL, cached by Lamina through {@code @CacheResult}. */
@NullMarked
package io.lamina.examples.pricing;

import org.jspecify.annotations.NullMarked;
