/** The Dev UI card's JSON-RPC service (registered in dev mode only). */
@NullMarked
package io.lamina.quarkus.runtime.devui;

import org.jspecify.annotations.NullMarked;
