package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.bus.NatsConnectionSettings.InvalidSettingException;
import io.lamina.testkit.server.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NatsConnectionSettingsTest {

  private static final String P = "lamina.bus.nats.";

  @Test
  void twoWaysToAuthenticate_failNamingBoth_withoutTheSecrets() {
    assertThatThrownBy(() -> NatsConnectionSettings.custom(P).token("tok-secret").userInfo("u", "pw-secret").build())
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("lamina.bus.nats.token").hasMessageContaining("lamina.bus.nats.username/password")
        .hasMessageNotContaining("tok-secret").hasMessageNotContaining("pw-secret");
    assertThatThrownBy(() -> NatsConnectionSettings.custom(P).url("nats://u:pw-secret@h:4222").token("t").build())
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("lamina.bus.nats.url")
        .hasMessageNotContaining("pw-secret");
  }

  @Test
  void aMissingFile_failsNamingTheSettingAndThePath(@TempDir Path dir) {
    Path missing = dir.resolve("svc.creds");
    assertThatThrownBy(() -> NatsConnectionSettings.custom(P).credentialsFile(missing.toString()).build())
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("lamina.bus.nats.credentials-file").hasMessageContaining("svc.creds")
        .extracting(e -> ((InvalidSettingException) e).setting()).isEqualTo("lamina.bus.nats.credentials-file");
    assertThatThrownBy(() -> NatsConnectionSettings.custom(P).trustStore(missing.toString(), null, null).build())
        .hasMessageContaining("lamina.bus.nats.tls.trust-store");
  }

  @Test
  void aSeedFileWithoutASeed_failsWithoutPrintingItsContent(@TempDir Path dir) throws Exception {
    Path seed = Files.writeString(dir.resolve("svc.nk"), "SUnot-really-a-seed-content");
    assertThatThrownBy(() -> NatsConnectionSettings.custom(P).nkeySeedFile(seed.toString()).build())
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("lamina.bus.nats.nkey-seed-file")
        .hasMessageNotContaining("not-really");
  }

  @Test
  void aUserWithoutPassword_failsNamingThePassword() {
    assertThatThrownBy(() -> NatsConnectionSettings.custom(P).userInfo("svc", null).build())
        .hasMessageContaining("lamina.bus.nats.password");
  }

  @Test
  void aWrongTrustStorePassword_failsNamingTheStore_notThePassword() {
    TlsFiles tls = TlsFiles.create();
    assertThatThrownBy(() -> NatsConnectionSettings.custom(P)
        .trustStore(tls.trustStore().toString(), "wrong-pw-xyz", "PKCS12").build())
        .isInstanceOf(InvalidSettingException.class).hasMessageContaining("lamina.bus.nats.tls.trust-store")
        .hasMessageNotContaining("wrong-pw-xyz");
  }

  @Test
  void theRedactedUrl_hidesUserInfo() {
    assertThat(NatsConnectionSettings.custom(P).url("nats://u:pw@h:4222").build().redactedUrl())
        .isEqualTo("nats://***@h:4222");
  }
}
