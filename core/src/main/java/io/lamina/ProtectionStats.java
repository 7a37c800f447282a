package io.lamina;

/**
 * What a cache's protection did on this node, since it was built.
 *
 * @param loadTimeouts loads abandoned because they exceeded the load timeout
 * @param leaseWaits reads that waited for another node's load (distributed single-flight)
 * @param wakeUps of those, the waits ended early by the holder's wake-up message
 * @param leaseWaitsExpired of those, the waits that ran out before the value landed (the fallback then applied)
 * @param staleServed reads answered with an entry past its time to live while one refresh ran
 *     (stale-while-revalidate)
 * @param staleServedOnError reads answered with an entry past its time to live because a load failed
 *     (stale-if-error)
 * @param refreshes background refreshes started (stale-while-revalidate and early refresh)
 * @param remoteCallsRejected L2 calls not made because the L2 circuit breaker was open
 * @param loadsRejected loads not made because the loader's breaker was open, the bulkhead was full, the key's
 *     miss rate limit was reached or {@link ProtectionConfig#maxAbandonedLoads()} abandoned loads were still running
 * @param filteredMisses misses answered "absent" by the key filter without calling the loader
 * @param abandonedLoadsRunning loads abandoned past the load timeout whose loader is still running now (a gauge)
 * @param remoteBreakerState the L2 breaker's state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, ...), or
 *     {@code NONE}
 * @param loaderBreakerState the loader breaker's state, or {@code NONE}
 */
public record ProtectionStats(
    long loadTimeouts,
    long leaseWaits,
    long wakeUps,
    long leaseWaitsExpired,
    long staleServed,
    long staleServedOnError,
    long refreshes,
    long remoteCallsRejected,
    long loadsRejected,
    long filteredMisses,
    long abandonedLoadsRunning,
    String remoteBreakerState,
    String loaderBreakerState) {}
