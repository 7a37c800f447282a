package io.lamina.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteStoreSpecTest {

  private final RemoteStoreSpec spec = new RemoteStoreSpec("svc", "users", 3, List.of(2), Duration.ofMinutes(1));

  /** What Redis Cluster hashes to pick a key's slot: the first non-empty {...} part, else the whole key. */
  private static String hashedPart(String key) {
    int open = key.indexOf('{');
    if (open < 0) {
      return key;
    }
    int close = key.indexOf('}', open + 1);
    return close < 0 || close == open + 1 ? key : key.substring(open + 1, close);
  }

  @Test
  void anIdWithAHashTag_cannotChooseItsSlot() {
    for (String id : List.of("{user}:42", "a{b}c", "{", "x}{y}", "{}{user}")) {
      assertThat(hashedPart(spec.key(id))).as(id).isEqualTo(spec.key(id));
      assertThat(hashedPart(spec.key(2, id))).as(id).isEqualTo(spec.key(2, id));
    }
  }

  @Test
  void idsWithoutBraces_keepTheirPlainKey_andNoTwoIdsShareAKey() {
    assertThat(spec.key("42")).isEqualTo("svc:users:3:42");
    assertThat(spec.key(2, "42")).isEqualTo("svc:users:2:42");
    List<String> ids = List.of("x", "{}x", "{}{}x", "{x}", "{}{x}", "}x", "x{");
    assertThat(ids.stream().map(spec::key).distinct()).hasSameSizeAs(ids);
  }
}
