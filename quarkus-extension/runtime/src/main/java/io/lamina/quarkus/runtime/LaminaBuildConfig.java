package io.lamina.quarkus.runtime;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The {@code quarkus.lamina.*} properties fixed when the application is built. */
@ConfigMapping(prefix = "quarkus.lamina")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface LaminaBuildConfig {

  /**
   * Whether the extension contributes anything: the {@code lamina} cache type, its beans, health checks and
   * meters. When false, {@code quarkus.cache.type=lamina} (or a cache of that type) fails the build.
   */
  @WithDefault("true")
  boolean enabled();

  /** Readiness checks. */
  Health health();

  /** Meters. */
  Metrics metrics();

  /** SmallRye Health readiness checks (with quarkus-smallrye-health). */
  interface Health {

    /** Whether the Redis, NATS and coherence readiness checks are registered. */
    @WithDefault("true")
    boolean enabled();
  }

  /** Micrometer meters (with quarkus-micrometer). */
  interface Metrics {

    /** Whether every Lamina cache's meters are bound to the application's registry. */
    @WithDefault("true")
    boolean enabled();
  }
}
