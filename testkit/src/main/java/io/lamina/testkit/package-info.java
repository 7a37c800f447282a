/** Test support for Lamina: real servers, in-memory tiers and the contract suites every tier must pass. */
@NullMarked
package io.lamina.testkit;

import org.jspecify.annotations.NullMarked;
