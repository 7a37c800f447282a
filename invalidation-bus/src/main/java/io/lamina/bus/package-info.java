/**
 * Invalidation-bus transports: {@link io.lamina.bus.NatsInvalidationBus} over core NATS and
 * {@link io.lamina.bus.RedisPubSubInvalidationBus} over Redis Pub/Sub. Each channel is one subject or channel per
 * namespace; ids travel in payloads only.
 */
@NullMarked
package io.lamina.bus;

import org.jspecify.annotations.NullMarked;
