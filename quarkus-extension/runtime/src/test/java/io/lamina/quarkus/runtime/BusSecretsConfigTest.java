package io.lamina.quarkus.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.AuthenticatedBus;
import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.spi.InvalidationBus;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** quarkus.lamina.bus.auth-keys and quarkus.lamina.bus.nats.* secrets: used as given, refused naming the property, never printed. */
class BusSecretsConfigTest {

  private static final String SECRET = "c2VjcmV0LXRoYXQtbXVzdC1ub3QtYmUtcHJpbnRlZA==";

  private static LaminaConfig config(String... pairs) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return new SmallRyeConfigBuilder()
        .withConverter(Duration.class, 200, new DurationConverter())
        .withConverter(MemorySize.class, 200, new MemorySizeConverter())
        .withMapping(LaminaConfig.class)
        .withSources(new PropertiesConfigSource(map, "test", 100))
        .build().getConfigMapping(LaminaConfig.class);
  }

  private static final InvalidationBus BUS = new InvalidationBus() {
    @Override
    public BusChannel open(String namespace, BusListener listener) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String name() {
      return "test";
    }
  };

  @Test
  void authKeys_wrapTheBus_andWithoutThemTheBusIsAsGiven() {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    assertThat(LaminaCaches.authenticated(config("quarkus.lamina.bus.auth-keys", key), BUS))
        .isInstanceOf(AuthenticatedBus.class);
    assertThat(LaminaCaches.authenticated(config(), BUS)).isSameAs(BUS);
  }

  @Test
  void badAuthKeys_failNamingThePosition_neverTheKey() {
    String good = Base64.getEncoder().encodeToString(new byte[32]);
    assertThatThrownBy(() -> LaminaCaches.authenticated(
        config("quarkus.lamina.bus.auth-keys", good + ",secret-not-base64!"), BUS))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("quarkus.lamina.bus.auth-keys[1]")
        .hasMessageNotContaining("secret-not-base64");
    assertThatThrownBy(() -> LaminaCaches.authenticated(config("quarkus.lamina.bus.auth-keys", "c2hvcnQ="), BUS))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("quarkus.lamina.bus.auth-keys")
        .hasMessageContaining("at least 32");
    assertThatThrownBy(() -> LaminaCaches.authenticated(config("quarkus.lamina.bus.auth-keys", SECRET), null))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("no bus")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void twoWaysToAuthenticateToNats_failNamingTheProperties_notTheSecrets() {
    assertThatThrownBy(() -> NatsClients.settings(config("quarkus.lamina.bus.nats.token", SECRET,
        "quarkus.lamina.bus.nats.username", "svc", "quarkus.lamina.bus.nats.password", SECRET).bus().nats()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("quarkus.lamina.bus.nats.token")
        .hasMessageContaining("quarkus.lamina.bus.nats.username/password").hasMessageNotContaining(SECRET);
  }

  @Test
  void aMissingCredentialsFile_failsNamingThePropertyAndThePath(@TempDir Path dir) {
    assertThatThrownBy(() -> NatsClients.settings(config("quarkus.lamina.bus.nats.credentials-file",
        dir.resolve("svc.creds").toString()).bus().nats()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("quarkus.lamina.bus.nats.credentials-file")
        .hasMessageContaining("svc.creds");
  }

  @Test
  void maxBytes_defaultsTo256MiB() {
    assertThat(config().bus().nats().maxBytes().asLongValue()).isEqualTo(256L << 20);
  }
}
