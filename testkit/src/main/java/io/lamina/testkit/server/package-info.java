/**
 * Real servers for integration tests: {@code redis-server} and {@code nats-server} child processes on free
 * loopback ports, with handles to kill, pause, resume and restart them, and the JUnit 5 extensions that give
 * them to tests; and topologies of them ({@link io.lamina.testkit.server.RedisCluster},
 * {@link io.lamina.testkit.server.RedisSentinelGroup}, {@link io.lamina.testkit.server.NatsCluster}) with forced
 * failovers.
 */
@NullMarked
package io.lamina.testkit.server;

import org.jspecify.annotations.NullMarked;
