/** The Caffeine local tier (L1). */
@NullMarked
package io.lamina.caffeine;

import org.jspecify.annotations.NullMarked;
