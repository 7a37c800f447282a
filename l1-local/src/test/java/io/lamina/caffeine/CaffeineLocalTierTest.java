package io.lamina.caffeine;

import io.lamina.spi.LocalTier;
import io.lamina.testkit.ManualTicker;
import io.lamina.testkit.contract.LocalTierContract;

class CaffeineLocalTierTest extends LocalTierContract {

  @Override
  protected LocalTier<String> create(long maximumSize, ManualTicker ticker) {
    return CaffeineLocalTier.provider().create("test", maximumSize, ticker, Runnable::run);
  }

  @Override
  protected void maintain(LocalTier<String> tier) {
    ((CaffeineLocalTier<String>) tier).cleanUp();
  }
}
