package io.lamina.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.TierUnavailableException;
import io.lamina.spi.KeyFilter;
import io.lamina.testkit.contract.KeyFilterContract;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryKeyFilterTest extends KeyFilterContract {

  @Override
  protected KeyFilter create(String name, long expectedInsertions, double falseProbability) {
    return new InMemoryKeyFilter(name);
  }

  @Override
  protected KeyFilter peer(KeyFilter filter) {
    return filter;
  }

  @Override
  protected void makeUnreachable(KeyFilter filter) {
    ((InMemoryKeyFilter) filter).failWith(() -> new ConnectException("store unreachable"));
  }

  @Override
  protected void makeReachable(KeyFilter filter) {
    ((InMemoryKeyFilter) filter).heal();
  }

  @Override
  protected Duration failureBound() {
    return Duration.ofMillis(100);
  }

  @Test
  void failWith_keepsTheCause_andTheContents() {
    InMemoryKeyFilter f = new InMemoryKeyFilter("users");
    f.addAll(List.of("a", "b"));
    f.failWith(() -> new ConnectException("down"));
    assertThatThrownBy(() -> f.mightContain("a")).isInstanceOf(TierUnavailableException.class)
        .hasMessage("key filter 'users': mightContain failed").hasRootCauseInstanceOf(ConnectException.class);
    f.heal();
    assertThat(f.mightContain("a")).isTrue();
    assertThat(f.size()).isEqualTo(2);
  }

  @Test
  void lookups_countEveryValidQuestion() {
    InMemoryKeyFilter f = new InMemoryKeyFilter();
    f.mightContain("a");
    f.failWith(IllegalStateException::new);
    assertThatThrownBy(() -> f.mightContain("b")).isInstanceOf(TierUnavailableException.class);
    assertThatThrownBy(() -> f.mightContain("")).isInstanceOf(IllegalArgumentException.class);
    assertThat(f.lookups()).isEqualTo(2);
    assertThat(f.name()).isEqualTo("in-memory");
  }

  @Test
  void rebuild_replacesTheSize() {
    InMemoryKeyFilter f = new InMemoryKeyFilter();
    f.addAll(List.of("a", "b", "c"));
    f.rebuild(List.of("c", "d"));
    assertThat(f.size()).isEqualTo(2);
  }
}
