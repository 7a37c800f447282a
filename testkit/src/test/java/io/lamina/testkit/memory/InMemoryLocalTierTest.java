package io.lamina.testkit.memory;

import io.lamina.spi.LocalTier;
import io.lamina.testkit.ManualTicker;
import io.lamina.testkit.contract.LocalTierContract;

class InMemoryLocalTierTest extends LocalTierContract {

  @Override
  protected LocalTier<String> create(long maximumSize, ManualTicker ticker) {
    return new InMemoryLocalTier<>(maximumSize, ticker);
  }
}
