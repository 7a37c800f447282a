package io.lamina.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.HotKey;
import io.lamina.TieredCache;
import io.lamina.spring.LaminaCaches;
import io.lamina.spring.actuate.LaminaEndpoint;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/** Hot-key ids (which may be tokens or personal data) are shown by the endpoint only when asked for. */
class HotKeyIdsTest {

  private static final String SECRET_ID = "s:token-5f2c9a";

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LaminaAutoConfiguration.class))
      .withPropertyValues("lamina.local-only=true", "management.endpoints.web.exposure.include=lamina",
          "lamina.caches.sessions.protection.hot-keys=8");

  private static List<HotKey> hotKeys(ApplicationContext ctx) {
    TieredCache<String, Object> cache = ctx.getBean(LaminaCaches.class).get("sessions");
    for (int i = 0; i < 500; i++) {
      cache.get(SECRET_ID, id -> "value");
    }
    return ctx.getBean(LaminaEndpoint.class).cache("sessions").hotKeys();
  }

  @Test
  void byDefault_hotKeyIdsAreHidden_countsStayAndOneKeyKeepsOneStandIn() {
    runner.run(ctx -> {
      List<HotKey> hot = hotKeys(ctx);
      assertThat(hot).hasSize(1);
      HotKey shown = hot.get(0);
      assertThat(shown.id()).doesNotContain("token").doesNotContain("5f2c9a").startsWith("hidden:");
      assertThat(shown.count()).isPositive();
      assertThat(hotKeys(ctx).get(0).id()).as("the same key, the same stand-in").isEqualTo(shown.id());
      String body = ctx.getBean(LaminaEndpoint.class).caches().toString();
      assertThat(body).doesNotContain("token-5f2c9a");
    });
  }

  @Test
  void whenShowHotKeyIdsIsOn_hotKeyIdsAreShownAsTheyAre() {
    runner.withPropertyValues("lamina.actuator.show-hot-key-ids=true").run(ctx -> {
      List<HotKey> hot = hotKeys(ctx);
      assertThat(hot).extracting(HotKey::id).containsExactly(SECRET_ID);
      assertThat(ctx.getBean(LaminaEndpoint.class).caches().toString()).contains(SECRET_ID);
    });
  }
}
