package io.lamina.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.cache.interceptor.SimpleKey;

class StandardKeyConverterTest {

  private final CacheKeyConverter keys = CacheKeyConverter.standard();

  enum Color { RED }

  record Point(int x, String label) {}

  @Test
  void scalars_carryTheirType() {
    UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    assertThat(keys.toId("abc")).isEqualTo("s:abc");
    assertThat(keys.toId(42L)).isEqualTo("l:42");
    assertThat(keys.toId(42)).isEqualTo("i:42");
    assertThat(keys.toId(uuid)).isEqualTo("u:" + uuid);
    assertThat(keys.toId(Color.RED)).isEqualTo("e:" + Color.class.getName() + ".RED");
    assertThat(keys.toId(LocalDate.of(2026, 1, 2))).isEqualTo("t:LocalDate:2026-01-02");
    assertThat(keys.toId(true)).isEqualTo("z:true");
  }

  @Test
  void simpleKey_isAnEscapedList() {
    assertThat(keys.toId(new SimpleKey("a", 1L))).isEqualTo("[s:a,l:1]");
    assertThat(keys.toId(SimpleKey.EMPTY)).isEqualTo("[]");
    assertThat(keys.toId(new SimpleKey("a", null))).isEqualTo("[s:a,\\0]");
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
    assertThat(keys.toId(new Point(1, "x"))).isEqualTo("r:" + Point.class.getName() + "[i:1,s:x]");
    assertThat(keys.toId(List.of(1, 2))).isEqualTo("L[i:1,i:2]");
    assertThat(keys.toId(new int[] {1, 2})).isEqualTo("L[i:1,i:2]");
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

  /** Two records of the same simple name in different places. */
  static final class Other {
    record Point(int x, String label) {}
  }

  @Test
  void keysThatDifferOnlyInType_neverShareAnEntry() {
    List<Object> distinct = List.of(42L, 42, "42", (short) 42, (byte) 42, 42.0, 42.0f, '4', true, "true",
        new Point(1, "x"), new Other.Point(1, "x"), List.of(1), new SimpleKey(1), new SimpleKey(1L),
        new SimpleKey("1"), "[i:1]", "L[i:1]", BigInteger.ONE, BigDecimal.ONE, 1L);
    Map<String, Object> seen = new HashMap<>();
    for (Object key : distinct.subList(0, distinct.size() - 1)) {
      Object before = seen.put(keys.toId(key), key);
      assertThat(before).as("%s (%s) and %s share an id", key, key.getClass(), before).isNull();
    }
    assertThat(keys.toId(1L)).isEqualTo(keys.toId(Long.valueOf(1)));
  }
}
