package io.lamina;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class RedactTest {

  @Test
  void aPasswordInAUrl_neverAppears_andTheHostStays() {
    assertThat(Redact.userInfo("nats://user:s3cret@127.0.0.1:4222")).isEqualTo("nats://***@127.0.0.1:4222");
    assertThat(Redact.userInfo("redis://:s3cret@10.0.0.1:6379/0")).isEqualTo("redis://***@10.0.0.1:6379/0");
    assertThat(Redact.userInfo("rediss://default:s3cret@redis.example:6380"))
        .isEqualTo("rediss://***@redis.example:6380");
    assertThat(Redact.userInfo("nats://t0ken@h:4222")).isEqualTo("nats://***@h:4222");
  }

  @Test
  void everyUrlOfAMessage_isRedacted_evenWithAtOrSlashInThePassword() {
    String message = "Unable to connect to [nats://a:p@ss@h1:4222, nats://b:p/w@h2:4222] (tls://c:x@h3)";
    assertThat(Redact.userInfo(message)).doesNotContain("p@ss").doesNotContain("p/w").doesNotContain(":x@")
        .contains("nats://***@h1:4222").contains("nats://***@h2:4222").contains("tls://***@h3");
  }

  @Test
  void textWithoutUserInfo_isUnchanged() {
    assertThat(Redact.userInfo("nats://127.0.0.1:4222 mail me@example.org")).isEqualTo(
        "nats://127.0.0.1:4222 mail me@example.org");
    assertThat(Redact.userInfo(null)).isEqualTo("null");
  }

  @Test
  void aCauseChainHoldingAPassword_isCopiedWithoutIt_andOneWithoutIsKept() {
    IOException inner = new IOException("cannot reach [redis://:s3cret@h:6379]");
    RuntimeException outer = new RuntimeException("connect failed", inner);
    Throwable safe = Redact.causes(outer);
    StringWriter out = new StringWriter();
    safe.printStackTrace(new PrintWriter(out));
    assertThat(out.toString()).doesNotContain("s3cret").contains("redis://***@h:6379")
        .contains("java.io.IOException");
    RuntimeException harmless = new RuntimeException("timeout", new IOException("nats://h:4222"));
    assertThat(Redact.causes(harmless)).isSameAs(harmless);
  }
}
