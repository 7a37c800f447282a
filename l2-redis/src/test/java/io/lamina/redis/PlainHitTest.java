package io.lamina.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spi.RemoteEntry;
import io.lamina.spi.RemoteEntry.Lease;
import io.lamina.spi.RemoteEntry.State;
import io.lamina.spi.Version;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What an HMGET's fields vouch for: a hit only when entry.lua would accept every field and x is the entry's. */
class PlainHitTest {

  private static final long NOW = 1_700_000_000_000L;

  private static final List<String> ORDER = List.of("s", "i", "c", "p", "e", "v", "x");

  /** An HMGET's reply: one element per field, in the order asked for, null for a field the hash lacks. */
  private static List<Object> fields(String... namesAndValues) {
    List<Object> out = new ArrayList<>(Collections.nCopies(ORDER.size(), null));
    set(out, namesAndValues);
    return out;
  }

  private static void set(List<Object> fields, String... namesAndValues) {
    for (int i = 0; i < namesAndValues.length; i += 2) {
      fields.set(ORDER.indexOf(namesAndValues[i]), namesAndValues[i + 1].getBytes(StandardCharsets.UTF_8));
    }
  }

  private static List<Object> value(String... overrides) {
    List<Object> out = fields("s", "V", "i", "12345", "c", "7", "p", "payload", "v", "-3", "x", "7:" + (NOW + 5_000));
    set(out, overrides);
    return out;
  }

  @Test
  void theHmgetAsksForTheFieldsInTheOrderTheyAreRead() {
    assertThat(PlainHit.hmget("ns:c:1:k")).containsExactly("ns:c:1:k", "s", "i", "c", "p", "e", "v", "x");
  }

  @Test
  void aValue_isAHit_withTheTimeLeftUntilX() {
    RemoteEntry hit = PlainHit.of(value(), NOW);
    assertThat(hit).isNotNull();
    assertThat(hit.state()).isEqualTo(State.VALUE);
    assertThat(hit.version()).isEqualTo(new Version(12345, 7));
    assertThat(new String(hit.payload(), StandardCharsets.UTF_8)).isEqualTo("payload");
    assertThat(hit.remainingTtlMillis()).isEqualTo(5_000);
    assertThat(hit.lease()).isEqualTo(Lease.NOT_REQUESTED);
  }

  @Test
  void aNegativeResult_isAHit_withoutPayload() {
    List<Object> negative = fields("s", "N", "i", "1", "c", "2", "x", "2:" + (NOW + 1));
    RemoteEntry hit = PlainHit.of(negative, NOW);
    assertThat(hit).isNotNull();
    assertThat(hit.state()).isEqualTo(State.NEGATIVE);
    assertThat(hit.payload()).isNull();
    assertThat(hit.remainingTtlMillis()).isEqualTo(1);
  }

  @Test
  void aValueWithAnUnexpiredLeaseForRefresh_isStillAHit() {
    assertThat(PlainHit.of(value("e", Long.toString(NOW + 100)), NOW)).isNotNull();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "s, T", "s, I", "s, Z", "s, VV", "s, ''",
      "i, abc", "i, -1", "i, ''", "i, 123456789012345678901",
      "c, x", "c, 1.5", "c, 99999999999999999999",
      "e, soon", "v, 1e3", "v, -", "v, --1", "v, 1-",
      "x, 8:1800000000000", "x, 77:1800000000000", "x, 7", "x, 7:", "x, 7:soon", "x, :1800000000000",
      "x, 7:1700000000000", "x, 7:1699999999999"})
  void aFieldThatCannotBeVouchedFor_leavesTheReadToTheScript(String field, String text) {
    assertThat(PlainHit.of(value(field, text), NOW)).isNull();
  }

  @ParameterizedTest
  @CsvSource({"s", "i", "c", "p", "x"})
  void aMissingField_leavesTheReadToTheScript(String field) {
    List<Object> fields = value();
    fields.set(ORDER.indexOf(field), null);
    assertThat(PlainHit.of(fields, NOW)).isNull();
  }

  @Test
  void noFieldsAtAll_aMissOrAnotherType_leavesTheReadToTheScript() {
    assertThat(PlainHit.of(fields(), NOW)).isNull();
    assertThat(PlainHit.of(List.of(), NOW)).as("a reply of another shape").isNull();
  }
}
