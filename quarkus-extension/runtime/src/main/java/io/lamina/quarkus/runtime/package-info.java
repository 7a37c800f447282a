/** The extension's runtime wiring: configuration, the cache backend, the clients, the recorder. */
@NullMarked
package io.lamina.quarkus.runtime;

import org.jspecify.annotations.NullMarked;
