/**
 * Lamina's public API: the {@link io.lamina.TieredCache} facade, its builder and immutable configuration,
 * loaders and writers, the listener and the statistics snapshot.
 *
 * <p>Everything here is null-marked: a parameter or return value may be null only where it says
 * {@code @Nullable}, and the javadoc then says what null means.
 */
@NullMarked
package io.lamina;

import org.jspecify.annotations.NullMarked;
