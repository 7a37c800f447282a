package io.lamina.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.KeyFilterRebuilder;
import io.lamina.TierUnavailableException;
import io.lamina.testkit.memory.InMemoryKeyFilter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The rebuild job: at once, then every period; ids gone from the source drop out; failures keep the old set. */
class KeyFilterRebuilderTest {

  @Test
  void rebuildsAtOnce_andAgain_sheddingDeletedIds() {
    InMemoryKeyFilter filter = new InMemoryKeyFilter();
    filter.add("deleted-long-ago");
    List<String> source = new CopyOnWriteArrayList<>(List.of("a", "b"));
    try (KeyFilterRebuilder job = KeyFilterRebuilder.start(filter, source, Duration.ofSeconds(1))) {
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> job.rebuilds() >= 1);
      assertThat(filter.mightContain("a")).isTrue();
      assertThat(filter.mightContain("deleted-long-ago")).isFalse();
      source.remove("b");
      source.add("c");
      long before = job.rebuilds();
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> job.rebuilds() > before);
      assertThat(filter.mightContain("c")).isTrue();
      assertThat(filter.mightContain("b")).isFalse();
    }
  }

  @Test
  void aFailedRebuild_isCounted_andTheOldContentsStay() {
    InMemoryKeyFilter filter = new InMemoryKeyFilter();
    filter.add("kept");
    filter.failWith(() -> new TierUnavailableException("down"));
    try (KeyFilterRebuilder job = KeyFilterRebuilder.start(filter, List.of("x"), Duration.ofSeconds(1))) {
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> job.failures() >= 1);
      filter.heal();
      assertThat(filter.mightContain("kept")).isTrue();
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> job.rebuilds() >= 1);
      assertThat(filter.mightContain("x")).isTrue();
    }
  }

  @Test
  void aPeriodUnderASecond_isRejected() {
    assertThatThrownBy(() -> KeyFilterRebuilder.start(new InMemoryKeyFilter(), List.of(), Duration.ofMillis(10)))
        .hasMessageContaining("rebuild period");
  }
}
