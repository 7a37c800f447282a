package io.lamina.spring.actuate;

import io.lamina.spring.LaminaWarmups;
import io.lamina.warming.WarmupProgress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code warming} part of the endpoint: each warm-up's progress as plain values (durations as ISO-8601). */
final class WarmingReport {

  private WarmingReport() {}

  static Map<String, Object> of(LaminaWarmups warmups) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("readinessHeldBy", warmups.gatingCaches());
    body.put("readinessGateOpen", warmups.readinessGate().isDone());
    Map<String, Object> caches = new LinkedHashMap<>();
    for (String cache : warmups.caches()) {
      WarmupProgress p = warmups.progress().get(cache);
      caches.put(cache, p == null ? Map.of("state", "NOT_STARTED") : progress(p));
    }
    body.put("caches", caches);
    return body;
  }

  private static Map<String, Object> progress(WarmupProgress p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", p.state().name());
    m.put("done", p.done());
    m.put("total", p.total());
    m.put("fraction", p.fraction());
    m.put("keysPerSecond", Math.round(p.keysPerSecond()));
    Duration left = p.timeLeft();
    m.put("timeLeft", left == null ? "unknown" : left.toString());
    m.put("elapsed", p.elapsed().toString());
    m.put("fromL2", p.fromL2());
    m.put("loaded", p.loaded());
    m.put("absent", p.absent());
    m.put("failed", p.failed());
    m.put("skipped", p.skipped());
    if (p.lastError() != null) {
      m.put("lastError", p.lastError());
    }
    return m;
  }
}
