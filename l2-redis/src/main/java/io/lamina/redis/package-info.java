/** The Redis remote tier (L2) through Redisson: Lua scripts per key, pipelined bulk calls, Cluster-safe keys. */
@NullMarked
package io.lamina.redis;

import org.jspecify.annotations.NullMarked;
