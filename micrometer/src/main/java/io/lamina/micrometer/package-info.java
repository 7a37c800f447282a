/** Binds Lamina caches to Micrometer: the standard cache meters per tier, plus {@code lamina.*} meters. */
@NullMarked
package io.lamina.micrometer;

import org.jspecify.annotations.NullMarked;
