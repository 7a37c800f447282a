package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Message;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** jnats' reports are logged once per quiet period and kind, say how many were left out, and show no secret. */
class NatsErrorLogTest {

  private final Logger logger = Logger.getLogger(NatsErrorLog.class.getName());
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final AtomicLong now = new AtomicLong(42);
  private final NatsErrorLog log = new NatsErrorLog(now::get);

  @BeforeEach
  void listen() {
    logger.addHandler(capture);
  }

  @AfterEach
  void stop() {
    logger.removeHandler(capture);
  }

  @Test
  void aReconnectLoop_logsOncePerQuietPeriod_andCountsTheRest() {
    for (int i = 0; i < 40; i++) { // ten seconds of failed attempts, four a second
      log.exceptionOccurred(null, new ConnectException("Connection refused"));
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(250));
    }
    assertThat(records).hasSize(1);
    log.exceptionOccurred(null, new ConnectException("Connection refused"));
    assertThat(records).hasSize(2);
    assertThat(records.get(0).getLevel()).isEqualTo(Level.WARNING);
    assertThat(records.get(0).getMessage()).contains("Connection refused").doesNotContain("more like it");
    assertThat(records.get(1).getMessage()).contains("39 more like it");
  }

  @Test
  void eachKindIsPacedOnItsOwn() {
    log.exceptionOccurred(null, new IOException("read channel closed"));
    log.errorOccurred(null, "Authorization Violation");
    log.exceptionOccurred(null, new IOException("read channel closed"));
    assertThat(records).extracting(LogRecord::getMessage)
        .containsExactly("NATS connection: java.io.IOException: read channel closed",
            "NATS server error: Authorization Violation");
  }

  @Test
  void discardedMessages_areLoggedOncePerQuietPeriod_namingTheSubject() {
    Message message = NatsMessage.builder().subject("lamina.orders.invalidation").data(new byte[8]).build();
    for (int i = 0; i < 1_000; i++) { // a stopped server: every publish discarded
      log.messageDiscarded(null, message);
    }
    now.addAndGet(NatsErrorLog.QUIET_NANOS);
    log.messageDiscarded(null, message);
    assertThat(records).extracting(LogRecord::getMessage).containsExactly(
        "NATS outgoing queue full: a message to lamina.orders.invalidation was discarded (peers see a bus gap)",
        "NATS outgoing queue full: a message to lamina.orders.invalidation was discarded (peers see a bus gap)"
            + " (999 more like it in the last 10 s not logged)");
  }

  @Test
  void userInfoInAReport_isNotLogged() {
    log.exceptionOccurred(null, new IOException("Unable to connect to nats://app:s3cret@127.0.0.1:4222"));
    assertThat(records.get(0).getMessage()).doesNotContain("s3cret").contains("127.0.0.1:4222");
  }
}
