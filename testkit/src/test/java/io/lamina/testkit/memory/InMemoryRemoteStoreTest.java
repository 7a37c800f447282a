package io.lamina.testkit.memory;

import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.testkit.contract.RemoteStoreContract;

class InMemoryRemoteStoreTest extends RemoteStoreContract {

  private final InMemoryRemoteTier tier = new InMemoryRemoteTier();

  @Override
  protected RemoteStore open(RemoteStoreSpec spec) {
    return tier.open(spec);
  }

  @Override
  protected void evict(RemoteStoreSpec spec, String id) {
    tier.evict(spec.key(id));
  }
}
