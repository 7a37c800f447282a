package io.lamina.quarkus.deployment;

import io.lamina.quarkus.runtime.LaminaBuildConfig;
import io.lamina.quarkus.runtime.devui.LaminaJsonRpcService;
import io.quarkus.deployment.IsLocalDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;
import org.jspecify.annotations.Nullable;

/** The Dev UI card (dev mode only): Lamina's caches, their tiers, the bus and hot keys; evict on every instance. */
class LaminaDevUiProcessor {

  @BuildStep(onlyIf = IsLocalDevelopment.class)
  @Nullable CardPageBuildItem card(LaminaBuildConfig config) {
    if (!config.enabled()) {
      return null;
    }
    CardPageBuildItem card = new CardPageBuildItem();
    card.addPage(Page.webComponentPageBuilder()
        .title("Lamina caches")
        .componentLink("qwc-lamina-caches.js")
        .icon("font-awesome-solid:layer-group"));
    return card;
  }

  @BuildStep(onlyIf = IsLocalDevelopment.class)
  @Nullable JsonRPCProvidersBuildItem jsonRpc(LaminaBuildConfig config) {
    return config.enabled() ? new JsonRPCProvidersBuildItem(LaminaJsonRpcService.class) : null;
  }
}
