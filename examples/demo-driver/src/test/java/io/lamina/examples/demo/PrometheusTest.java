package io.lamina.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTest {

  private static final String TEXT = """
      # HELP cache_gets_total Reads this tier answered
      # TYPE cache_gets_total counter
      cache_gets_total{application="catalog",cache="products",result="hit",tier="l1"} 120.0
      cache_gets_total{application="catalog",cache="products",result="miss",tier="l1"} 30.0
      cache_gets_total{application="catalog",cache="product-search",result="hit",tier="l1"} 5.0
      catalog_db_queries_total{kind="read"} 7.0
      lamina_bus_lag_seconds_sum{cache="products"} NaN
      """;

  @Test
  void sum_selectsByNameAndLabels_andSumsTheRest() {
    Prometheus p = new Prometheus(TEXT);
    assertThat(p.sum("cache_gets_total", "cache", "products", "tier", "l1", "result", "hit")).isEqualTo(120);
    assertThat(p.sum("cache_gets_total", "tier", "l1")).isEqualTo(155);
    assertThat(p.sum("catalog_db_queries_total")).isEqualTo(7);
    assertThat(p.sum("cache_gets", "tier", "l1")).as("a name is matched whole").isZero();
    assertThat(p.sum("lamina_bus_lag_seconds_sum")).as("NaN counts as nothing").isZero();
  }

  @Test
  void etagVersions_andBodyVersions_areRead() {
    assertThat(CatalogClient.versionOfTag("\"14.7\"")).isEqualTo(7);
    assertThat(CatalogClient.versionOfTag("W/\"14.7\"")).isEqualTo(7);
    assertThat(CatalogClient.versionOfTag("\"qabc.3\"")).isEqualTo(-1);
    assertThat(CatalogClient.version("{\"id\":14,\"name\":\"x\",\"priceCents\":5,\"version\":12}")).isEqualTo(12);
  }
}
