/** Lamina for Quarkus: the API an application sees ({@link io.lamina.quarkus.LaminaCache}). */
@NullMarked
package io.lamina.quarkus;

import org.jspecify.annotations.NullMarked;
