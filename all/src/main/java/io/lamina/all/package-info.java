/**
 * {@code lamina-all} holds no code of its own: it brings the usual set for a plain-Java service — {@code
 * lamina-core}, {@code lamina-l1-local} (Caffeine), {@code lamina-l2-redis} (Redisson), {@code lamina-codec} (Fory
 * by default) and {@code lamina-invalidation-bus} with jnats, so NATS and Redis Pub/Sub both work. Add {@code
 * lamina-micrometer} for meters and {@code lamina-warming} for warm-ups; import {@code lamina-bom} for versions.
 */
package io.lamina.all;
