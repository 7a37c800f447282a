/** Actuator support: the {@code lamina} endpoint and the health contributors. */
@NullMarked
package io.lamina.spring.actuate;

import org.jspecify.annotations.NullMarked;
