/**
 * Warming: fills a cache before traffic arrives and keeps its hot keys warm.
 *
 * <p>A {@link io.lamina.warming.CacheWarmer} builds a warm-up plan from {@link io.lamina.warming.WarmupSource}s
 * (an explicit key list, the hot keys running instances recorded in L2, the application's own query) and runs it
 * L2 first, then the source for what L2 lacks, through the cache's own guarded read paths, under a rate limit and
 * a deadline. {@link io.lamina.warming.HotKeyRefresher} reloads keys that stay hot ahead of their expiry.
 */
@NullMarked
package io.lamina.warming;

import org.jspecify.annotations.NullMarked;
