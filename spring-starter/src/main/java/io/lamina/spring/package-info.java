/**
 * Lamina behind Spring's cache abstraction: {@link io.lamina.spring.LaminaCacheManager} and
 * {@link io.lamina.spring.LaminaCache} adapt {@link io.lamina.TieredCache}s to {@code @Cacheable} and friends,
 * {@link io.lamina.spring.LaminaCaches} holds them, {@link io.lamina.spring.LaminaCacheCustomizer} tunes each
 * one in code.
 */
@NullMarked
package io.lamina.spring;

import org.jspecify.annotations.NullMarked;
