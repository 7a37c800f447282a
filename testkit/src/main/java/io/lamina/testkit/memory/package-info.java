/** In-memory tiers for unit tests of the facade; never in a main jar. */
@NullMarked
package io.lamina.testkit.memory;

import org.jspecify.annotations.NullMarked;
