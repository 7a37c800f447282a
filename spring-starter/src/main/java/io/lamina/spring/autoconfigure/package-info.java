/**
 * Spring Boot auto-configuration of Lamina: {@link io.lamina.spring.autoconfigure.LaminaAutoConfiguration} and
 * the {@code lamina.*} properties ({@link io.lamina.spring.autoconfigure.LaminaProperties}).
 */
@NullMarked
package io.lamina.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
