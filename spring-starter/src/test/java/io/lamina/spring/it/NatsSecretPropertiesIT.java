package io.lamina.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.TieredCache;
import io.lamina.spring.LaminaCaches;
import io.lamina.spring.autoconfigure.LaminaAutoConfiguration;
import io.lamina.testkit.server.NatsServer;
import io.nats.client.Connection;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/** lamina.bus.nats.* secrets against real nats-servers: they connect, a wrong one fails, no secret is shown. */
class NatsSecretPropertiesIT {

  private static final String TOKEN = "t0ken-Spring-not-in-any-message";
  private static final String PASSWORD = "pa55-Spring-not-in-any-message";

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LaminaAutoConfiguration.class))
      .withPropertyValues("lamina.local-only=true", "lamina.bus.type=nats", "lamina.caches.a.l1.maximum-size=10");

  private static String everything(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static TieredCache<String, Object> cache(ApplicationContext ctx) {
    return ctx.getBean(LaminaCaches.class).get("a");
  }

  @Test
  void withTheServersToken_invalidationsFlowBetweenInstances_andAWrongTokenFailsStartUpWithoutShowingIt() {
    try (NatsServer nats = NatsServer.start(false, "--auth", TOKEN)) {
      ApplicationContextRunner withToken = runner.withPropertyValues("lamina.bus.nats.url=" + nats.url(),
          "lamina.bus.nats.token=" + TOKEN);
      withToken.run(a -> withToken.run(b -> {
        assertThat(a).hasNotFailed();
        assertThat(b).hasNotFailed();
        long before = cache(b).coherence().invalidationsReceived();
        cache(a).invalidate("x");
        Awaitility.await().atMost(Duration.ofSeconds(10))
            .until(() -> cache(b).coherence().invalidationsReceived() > before);
      }));

      runner.withPropertyValues("lamina.bus.nats.url=" + nats.url(), "lamina.bus.nats.token=" + TOKEN + "-wrong")
          .run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(everything(ctx.getStartupFailure())).contains("refused the credentials")
                .contains("lamina.bus.nats.token").doesNotContain(TOKEN);
          });
    }
  }

  @Test
  void withTheServersUserAndPassword_theInstanceConnects_andAWrongPasswordFailsStartUpWithoutShowingIt() {
    try (NatsServer nats = NatsServer.start(false, "--user", "svc", "--pass", PASSWORD)) {
      runner.withPropertyValues("lamina.bus.nats.url=" + nats.url(), "lamina.bus.nats.username=svc",
          "lamina.bus.nats.password=" + PASSWORD)
          .run(ctx -> assertThat(ctx.getBean(Connection.class).getStatus()).isEqualTo(Connection.Status.CONNECTED));
      runner.withPropertyValues("lamina.bus.nats.url=" + nats.url(), "lamina.bus.nats.username=svc",
          "lamina.bus.nats.password=" + PASSWORD + "x")
          .run(ctx -> assertThat(everything(ctx.getStartupFailure())).contains("refused the credentials")
              .doesNotContain(PASSWORD));
    }
  }

  @Test
  void aPasswordInTheUrl_neverAppearsInTheHealthDetails() {
    try (NatsServer nats = NatsServer.start(false, "--user", "svc", "--pass", PASSWORD)) {
      String url = "nats://svc:" + PASSWORD + "@127.0.0.1:" + nats.port();
      runner.withPropertyValues("lamina.bus.nats.url=" + url).run(ctx -> {
        CompositeHealthContributor health = (CompositeHealthContributor) ctx.getBean("laminaHealthContributor");
        var details = ((HealthIndicator) health.getContributor("nats")).health().getDetails();
        assertThat(String.valueOf(details)).contains("***@127.0.0.1").doesNotContain(PASSWORD);
      });
    }
  }

  @Test
  void passwordsInUnreachableUrls_neverAppearInTheStartUpFailure() throws IOException {
    int closed = closedPort();
    runner.withPropertyValues("lamina.bus.nats.url=nats://svc:" + PASSWORD + "@127.0.0.1:" + closed)
        .run(ctx -> assertThat(everything(ctx.getStartupFailure())).contains("lamina.bus.nats.url=nats://***@")
            .doesNotContain(PASSWORD));
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LaminaAutoConfiguration.class))
        .withPropertyValues("lamina.caches.a.l1.maximum-size=10",
            "lamina.redis.address=redis://:" + PASSWORD + "@127.0.0.1:" + closed, "lamina.redis.connect-timeout=200ms")
        .run(ctx -> assertThat(everything(ctx.getStartupFailure())).contains("redis://***@127.0.0.1")
            .doesNotContain(PASSWORD));
  }

  @Test
  void badSecretSettings_failStartUpNamingTheProperty_notTheSecret(@TempDir Path dir) throws IOException {
    runner.withPropertyValues("lamina.bus.nats.token=" + TOKEN, "lamina.bus.nats.username=svc",
        "lamina.bus.nats.password=" + PASSWORD)
        .run(ctx -> assertThat(everything(ctx.getStartupFailure())).contains("lamina.bus.nats.token")
            .contains("lamina.bus.nats.username/password").doesNotContain(TOKEN).doesNotContain(PASSWORD));
    runner.withPropertyValues("lamina.bus.nats.credentials-file=" + dir.resolve("missing.creds"))
        .run(ctx -> assertThat(everything(ctx.getStartupFailure())).contains("lamina.bus.nats.credentials-file")
            .contains("missing.creds"));
    Path notASeed = Files.writeString(dir.resolve("svc.nk"), "not-a-seed-" + TOKEN);
    runner.withPropertyValues("lamina.bus.nats.nkey-seed-file=" + notASeed)
        .run(ctx -> assertThat(everything(ctx.getStartupFailure())).contains("lamina.bus.nats.nkey-seed-file")
            .doesNotContain(TOKEN));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
