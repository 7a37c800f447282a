/**
 * The service-provider interface: what a local tier, a remote tier and a codec must do for the facade.
 *
 * <p>Implementations live in their own modules ({@code lamina-l1-local}, {@code lamina-l2-redis},
 * {@code lamina-codec}); every implementation must pass the contract suites in {@code lamina-testkit}.
 */
@NullMarked
package io.lamina.spi;

import org.jspecify.annotations.NullMarked;
