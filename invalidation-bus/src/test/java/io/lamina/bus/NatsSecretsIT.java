package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.spi.BusChannel;
import io.lamina.spi.BusListener;
import io.lamina.testkit.server.NatsServer;
import io.lamina.testkit.server.TlsFiles;
import io.nats.client.Connection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** NATS servers that want a token, a user and password, or TLS: the bus connects with the settings, or fails saying why without the secret. */
class NatsSecretsIT {

  private static final String TOKEN = "t0ken-Zq9-not-in-any-message";
  private static final String PASSWORD = "pa55-Xk2-not-in-any-message";

  /** Opens two connections with {@code settings}, checks that a message published on one arrives on the other. */
  private static void invalidationsFlow(NatsConnectionSettings settings) throws Exception {
    Connection a = NatsInvalidationBus.connect(settings);
    Connection b = NatsInvalidationBus.connect(settings);
    List<String> received = new CopyOnWriteArrayList<>();
    BusListener listener = new BusListener() {
      @Override
      public void onMessage(byte[] message) {
        received.add(new String(message, StandardCharsets.UTF_8));
      }

      @Override
      public void onGap(String reason) {}
    };
    try (BusChannel sender = NatsInvalidationBus.of(a).open("secure", listener);
        BusChannel receiver = NatsInvalidationBus.of(b).open("secure", listener)) {
      receiver.subscribed().toCompletableFuture().join();
      sender.publish("hello".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().join();
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 2); // both subscribers
    } finally {
      a.close();
      b.close();
    }
  }

  private static String everything(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  @Test
  void withTheServersToken_invalidationsFlow_andAWrongTokenFailsWithoutShowingIt() throws Exception {
    try (NatsServer nats = NatsServer.start(false, "--auth", TOKEN)) {
      invalidationsFlow(NatsConnectionSettings.custom().url(nats.url()).token(TOKEN).build());

      Throwable wrong = Assertions.catchThrowable(() -> NatsInvalidationBus.connect(
          NatsConnectionSettings.custom().url(nats.url()).token(TOKEN + "-wrong").build()));
      assertThat(wrong).isNotNull();
      assertThat(everything(wrong)).containsIgnoringCase("authorization").doesNotContain(TOKEN);
    }
  }

  @Test
  void withTheServersUserAndPassword_invalidationsFlow_andAWrongPasswordFailsWithoutShowingIt() throws Exception {
    try (NatsServer nats = NatsServer.start(false, "--user", "svc", "--pass", PASSWORD)) {
      invalidationsFlow(NatsConnectionSettings.custom().url(nats.url()).userInfo("svc", PASSWORD).build());

      Throwable wrong = Assertions.catchThrowable(() -> NatsInvalidationBus.connect(
          NatsConnectionSettings.custom().url(nats.url()).userInfo("svc", PASSWORD + "x").build()));
      assertThat(wrong).isNotNull();
      assertThat(everything(wrong)).containsIgnoringCase("authorization").doesNotContain(PASSWORD);
    }
  }

  @Test
  void aPasswordInTheUrl_neverAppearsInTheConnectFailure() {
    String url = "nats://svc:" + PASSWORD + "@127.0.0.1:1"; // nothing listens on port 1
    Throwable failure = Assertions.catchThrowable(() -> NatsInvalidationBus.connect(url));
    assertThat(failure).isNotNull();
    assertThat(everything(failure)).doesNotContain(PASSWORD);
  }

  @Test
  void withTls_andATrustStoreHoldingTheServersCertificate_invalidationsFlow_andTheJdkTrustAloneIsRefused()
      throws Exception {
    TlsFiles tls = TlsFiles.create();
    try (NatsServer nats = NatsServer.start(false, "--tls", "--tlscert", tls.certificate().toString(),
        "--tlskey", tls.privateKey().toString())) {
      invalidationsFlow(NatsConnectionSettings.custom().url(nats.url())
          .trustStore(tls.trustStore().toString(), TlsFiles.PASSWORD, "PKCS12").build());

      assertThatThrownBy(() -> NatsInvalidationBus.connect(NatsConnectionSettings.custom().url(nats.url())
          .tls(true).build()).close())
          .as("a self-signed certificate is not in the JDK's default trust").isInstanceOf(Exception.class);
    }
  }
}
