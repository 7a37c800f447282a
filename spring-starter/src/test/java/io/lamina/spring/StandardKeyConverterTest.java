package io.lamina.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.cache.interceptor.SimpleKey;

class StandardKeyConverterTest {

  private final CacheKeyConverter keys = CacheKeyConverter.standard();

  enum Color { RED }

  record Point(int x, String label) {}

  @Test
  void scalars_printAsThemselves() {
    UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    assertThat(keys.toId("abc")).isEqualTo("abc");
    assertThat(keys.toId(42L)).isEqualTo("42");
    assertThat(keys.toId(42)).isEqualTo("42");
    assertThat(keys.toId(uuid)).isEqualTo(uuid.toString());
    assertThat(keys.toId(Color.RED)).isEqualTo("RED");
    assertThat(keys.toId(LocalDate.of(2026, 1, 2))).isEqualTo("2026-01-02");
    assertThat(keys.toId(true)).isEqualTo("true");
  }

  @Test
  void simpleKey_isAnEscapedList() {
    assertThat(keys.toId(new SimpleKey("a", 1L))).isEqualTo("[a,1]");
    assertThat(keys.toId(SimpleKey.EMPTY)).isEqualTo("[]");
    assertThat(keys.toId(new SimpleKey("a", null))).isEqualTo("[a,\\0]");
  }

  @Test
  void compositesThatPrintAlikeInToString_getDifferentIds() {
    String first = keys.toId(new SimpleKey("a,b", "c"));
    String second = keys.toId(new SimpleKey("a", "b,c"));
    assertThat(first).isNotEqualTo(second);
    assertThat(keys.toId("[a,b]")).isNotEqualTo(keys.toId(new SimpleKey("a", "b")));
    assertThat(keys.toId(new SimpleKey("null"))).isNotEqualTo(keys.toId(new SimpleKey((Object) null)));
  }

  @Test
  void recordsAndLists_printTheirParts() {
    assertThat(keys.toId(new Point(1, "x"))).isEqualTo("Point[1,x]");
    assertThat(keys.toId(List.of(1, 2))).isEqualTo("[1,2]");
    assertThat(keys.toId(new int[] {1, 2})).isEqualTo("[1,2]");
  }

  @Test
  void keyWithoutCanonicalText_isRefusedNamingItsClass() {
    assertThatThrownBy(() -> keys.toId(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object")
        .hasMessageContaining("CacheKeyConverter");
    assertThatThrownBy(() -> keys.toId(new SimpleKey("a", new Object())))
        .hasMessageContaining("inside org.springframework.cache.interceptor.SimpleKey");
  }
}
