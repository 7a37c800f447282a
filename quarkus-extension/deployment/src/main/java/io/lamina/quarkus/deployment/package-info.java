/** The Lamina extension's build steps. */
@NullMarked
package io.lamina.quarkus.deployment;

import org.jspecify.annotations.NullMarked;
