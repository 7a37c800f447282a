/** An in-memory invalidation bus with fault injection, and the contract every bus transport must pass. */
@NullMarked
package io.lamina.testkit.bus;

import org.jspecify.annotations.NullMarked;
