package io.lamina.caffeine;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spi.LocalTier;
import io.lamina.testkit.ManualTicker;
import io.lamina.testkit.contract.LocalTierContract;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class CaffeineLocalTierTest extends LocalTierContract {

  @Override
  protected LocalTier<String> create(long maximumSize, ManualTicker ticker) {
    return CaffeineLocalTier.provider().create("test", maximumSize, ticker, Runnable::run);
  }

  @Override
  protected void maintain(LocalTier<String> tier) {
    ((CaffeineLocalTier<String>) tier).cleanUp();
  }

  /** An executor that keeps what it is given and runs none of it. */
  private static final class Holding implements Executor {
    final List<Runnable> held = new CopyOnWriteArrayList<>();

    @Override
    public void execute(Runnable task) {
      held.add(task);
    }
  }

  private Entry live() {
    return new Entry(ticker.read() + Duration.ofMinutes(1).toNanos());
  }

  @Test
  void writes_runTheirMaintenanceOnTheWritingThread_soTheBoundHoldsWithoutTheExecutor() {
    Holding executor = new Holding();
    LocalTier<String> bounded = CaffeineLocalTier.provider().create("test", 10, ticker, executor);
    for (int i = 0; i < 1_000; i++) {
      assertThat(bounded.putIfAbsent("k" + i, live())).isNull();
    }
    Entry replaced = live();
    bounded.putIfAbsent("last", replaced);
    bounded.replace("last", replaced, live());
    assertThat(executor.held).as("maintenance handed to the executor by writes").isEmpty();
    assertThat(bounded.estimatedSize()).as("evicted by the writers' own maintenance").isLessThanOrEqualTo(10);
    assertThat(bounded.evictionCount()).isGreaterThanOrEqualTo(990);
  }

  /** The bus's delivery thread invalidates: an expiry burst run there would delay the invalidations behind it. */
  @Test
  void invalidations_handTheirMaintenanceToTheExecutor() {
    Holding executor = new Holding();
    LocalTier<String> tier = CaffeineLocalTier.provider().create("test", 100, ticker, executor);
    tier.putIfAbsent("k", live());
    assertThat(executor.held).isEmpty();
    tier.invalidate("k");
    assertThat(executor.held).as("the drain after the removal").hasSize(1);
    assertThat(tier.getIfPresent("k")).isNull();
  }

  @Test
  void reads_handTheirMaintenanceToTheExecutor() {
    Holding executor = new Holding();
    LocalTier<String> tier = CaffeineLocalTier.provider().create("test", 100, ticker, executor);
    for (int i = 0; i < 50; i++) {
      tier.putIfAbsent("k" + i, live());
    }
    assertThat(executor.held).isEmpty();
    for (int i = 0; i < 10_000; i++) {
      assertThat(tier.getIfPresent("k" + (i % 50))).isNotNull();
    }
    assertThat(executor.held).as("the drain a full read buffer asks for").isNotEmpty();
    executor.held.forEach(Runnable::run); // and it runs wherever the executor runs it
    assertThat(tier.estimatedSize()).isEqualTo(50);
  }
}
