/**
 * The facade's implementation. Not API: anything here may change in any release. Three types are public only
 * because the builder and the key-filter rebuild job, in {@code io.lamina}, use them: {@code DefaultTieredCache},
 * {@code CacheSetup} and {@code DefaultExecutor}; everything else is package-private.
 */
@NullMarked
package io.lamina.internal;

import org.jspecify.annotations.NullMarked;
