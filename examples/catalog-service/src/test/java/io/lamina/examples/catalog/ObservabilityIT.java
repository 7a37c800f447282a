package io.lamina.examples.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.examples.catalog.CatalogInstances.Instance;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard and the alert rules under {@code examples/observability} name only meters a running catalog
 * instance exports at {@code /actuator/prometheus}, and both files have the shape Grafana and Prometheus load.
 */
class ObservabilityIT {

  private static final Path ASSETS = Path.of("..", "observability");

  private static RedisServer redis;
  private static NatsServer nats;
  private static CatalogInstances instances;
  private static Set<String> exported;

  @BeforeAll
  static void scrape() {
    redis = RedisServer.start();
    nats = NatsServer.start(false);
    instances = new CatalogInstances(redis, nats);
    Instance a = instances.start();
    a.get("/products/1");
    a.get("/products?q=Kettle");
    exported = MeterNames.exported(a.get("/actuator/prometheus").body());
  }

  @AfterAll
  static void stop() {
    if (instances != null) {
      instances.close();
    }
    if (nats != null) {
      nats.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void dashboard_isAGrafanaDashboard_whoseQueriesNameOnlyExportedMeters() throws IOException {
    JsonNode dashboard =
        CatalogInstances.JSON.readTree(Files.readString(ASSETS.resolve("grafana/lamina-dashboard.json")));
    assertThat(dashboard.path("uid").asString()).isNotBlank();
    assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
    List<String> queries = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
      assertThat(panel.path("title").asString()).isNotBlank();
      assertThat(panel.path("type").asString()).isIn("timeseries", "stat", "state-timeline", "gauge", "table");
      for (String key : List.of("x", "y", "w", "h")) {
        assertThat(panel.path("gridPos").path(key).isInt()).as(panel.path("title") + " gridPos." + key).isTrue();
      }
      assertThat(panel.path("targets").size()).as(panel.path("title") + " has queries").isPositive();
      panel.path("targets").forEach(t -> queries.add(t.path("expr").asString()));
    }
    dashboard.path("templating").path("list").forEach(v -> queries.add(v.path("definition").asString()));
    assertThat(ids).hasSizeGreaterThanOrEqualTo(15);
    assertThat(queries.stream().flatMap(q -> MeterNames.read(q).stream()))
        .as("load time, L2 latency and warming panels")
        .contains("cache_load_duration_seconds_bucket", "lamina_l2_latency_seconds_bucket", "lamina_warming_keys",
            "lamina_warming_time_left_seconds");
    assertOnlyExported("dashboard", queries, 15);
  }

  @Test
  @SuppressWarnings("unchecked")
  void alertRules_areAPrometheusRuleFile_whoseExpressionsNameOnlyExportedMeters() throws IOException {
    Map<String, Object> file = new Yaml().load(Files.readString(ASSETS.resolve("prometheus/lamina-alerts.yml")));
    List<String> queries = new ArrayList<>();
    Set<String> alerts = new TreeSet<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
      assertThat(group.get("name")).isNotNull();
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        alerts.add((String) rule.get("alert"));
        assertThat(rule.get("expr")).isInstanceOf(String.class);
        assertThat((Map<String, Object>) rule.get("labels")).containsKey("severity");
        assertThat((Map<String, Object>) rule.get("annotations")).containsKey("summary");
        queries.add((String) rule.get("expr"));
      }
    }
    assertThat(alerts).containsExactlyInAnyOrder("LaminaNodeDegraded", "LaminaInvalidationLagHigh",
        "LaminaCircuitBreakerOpen", "LaminaInvalidationGaps", "LaminaL2LatencyHigh");
    assertOnlyExported("alert rules", queries, 5);
    Map<String, Object> prometheus = new Yaml().load(Files.readString(ASSETS.resolve("prometheus/prometheus.yml")));
    assertThat((List<String>) prometheus.get("rule_files")).containsExactly("lamina-alerts.yml");
  }

  @Test
  void theNameCheck_catchesAMeterThatIsNotExported() {
    // A Timer exports _count, _sum, _max and _bucket, never _total: a plausible slip in a query.
    assertThat(MeterNames.read("rate(lamina_bus_lag_seconds_sum[5m]) / rate(lamina_l2_latency_seconds_total[5m])"))
        .containsExactly("lamina_bus_lag_seconds_sum", "lamina_l2_latency_seconds_total");
    assertThat(exported).contains("lamina_bus_lag_seconds_sum", "lamina_l2_latency_seconds_count")
        .doesNotContain("lamina_l2_latency_seconds_total");
  }

  private static void assertOnlyExported(String what, List<String> queries, int atLeast) {
    Set<String> named = new TreeSet<>();
    queries.forEach(q -> named.addAll(MeterNames.read(q)));
    assertThat(named).as(what + " names meters").hasSizeGreaterThanOrEqualTo(atLeast);
    Set<String> missing = new TreeSet<>(named);
    missing.removeAll(exported);
    assertThat(missing).as(what + " names meters that /actuator/prometheus does not export").isEmpty();
  }
}
