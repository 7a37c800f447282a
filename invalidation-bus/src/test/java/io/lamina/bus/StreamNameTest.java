package io.lamina.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamNameTest {

  @Test
  void namespacesThatDifferOnlyInDotUnderscoreOrDash_getDifferentStreams() {
    List<String> namespaces = List.of("a.b", "a_b", "a-b", "ab", "a__b", "a._b", "a_.b", "a_2Eb", "a_5Fb", "a..b");
    Map<String, String> byStream = new HashMap<>();
    for (String namespace : namespaces) {
      String previous = byStream.put(NatsInvalidationBus.stream(namespace), namespace);
      assertThat(previous).as("stream of %s", namespace).isNull();
    }
  }

  @Test
  void streamNames_useOnlyLettersDigitsDashAndUnderscore() {
    for (String namespace : List.of("shop.orders", "a_b", "Svc-1", "x.y_z-w")) {
      assertThat(NatsInvalidationBus.stream(namespace)).matches("LAMINA_[A-Za-z0-9_-]+");
    }
  }

  @Test
  void namespacesWithoutDotOrUnderscore_keepTheirStreamName() {
    assertThat(NatsInvalidationBus.stream("orders-service")).isEqualTo("LAMINA_orders-service");
  }
}
