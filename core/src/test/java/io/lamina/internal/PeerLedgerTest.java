package io.lamina.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.spi.InvalidationMessage;
import io.lamina.spi.InvalidationMessage.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The peer ledger finds the gaps in each peer's stream, holds a stranger's until it joins, and reviews silence. */
class PeerLedgerTest {

  private static final long D = 1_000;

  private final List<String> gaps = new ArrayList<>();
  private long now = 10_000;
  private final Membership membership = new Membership("ns", true, new BusCounters());
  private final PeerLedger ledger =
      new PeerLedger(D, () -> now, membership, () -> true, (reason, origin) -> gaps.add(reason + " " + origin));
  private final UUID peer = UUID.randomUUID();

  private boolean receive(Kind kind, long epoch, long sequence) {
    InvalidationMessage m = new InvalidationMessage(kind, peer, epoch, sequence, 0, "c", List.of());
    PeerLedger.Peer p = ledger.peer(m, now);
    assertThat(p).isNotNull();
    return ledger.check(p, m, now);
  }

  @Test
  void invalidations_inSequence_raiseNoGap() {
    membership.read(Set.of(peer.toString()));
    receive(Kind.INVALIDATE, 7, 1);
    receive(Kind.INVALIDATE, 7, 2);
    receive(Kind.HEARTBEAT, 7, 2);
    receive(Kind.FLUSH, 7, 3);
    assertThat(gaps).isEmpty();
  }

  @Test
  void invalidation_afterASkippedNumber_raisesASequenceGap() {
    membership.read(Set.of(peer.toString()));
    receive(Kind.INVALIDATE, 7, 1);
    receive(Kind.INVALIDATE, 7, 3);
    assertThat(gaps).containsExactly("sequence " + peer);
  }

  @Test
  void heartbeat_aheadOfTheLastInvalidation_raisesAHeartbeatGap() {
    membership.read(Set.of(peer.toString()));
    receive(Kind.INVALIDATE, 7, 1);
    receive(Kind.HEARTBEAT, 7, 2);
    assertThat(gaps).containsExactly("heartbeat " + peer);
  }

  @Test
  void newEpoch_raisesAnEpochGap_unlessThePeerSaidGoodbye() {
    membership.read(Set.of(peer.toString()));
    receive(Kind.INVALIDATE, 7, 1);
    receive(Kind.INVALIDATE, 8, 1);
    assertThat(gaps).containsExactly("epoch " + peer);
    receive(Kind.GOODBYE, 8, 1);
    receive(Kind.INVALIDATE, 9, 1);
    assertThat(gaps).hasSize(1);
  }

  @Test
  void strangersGap_isHeldUntilItJoinsTheRoster() {
    membership.read(Set.of(UUID.randomUUID().toString()));
    assertThat(receive(Kind.INVALIDATE, 7, 1)).as("stranger").isTrue();
    receive(Kind.INVALIDATE, 7, 3);
    assertThat(gaps).isEmpty();

    membership.read(Set.of(peer.toString()));
    ledger.welcomeMembers();
    assertThat(gaps).containsExactly("sequence " + peer);
    assertThat(receive(Kind.INVALIDATE, 7, 4)).as("stranger").isFalse();
  }

  @Test
  void review_isIncompleteWhileAMemberIsSilent_andAPeerGoneWithoutGoodbyeDeparted() {
    Set<String> live = Set.of(peer.toString());
    membership.read(live);
    receive(Kind.HEARTBEAT, 7, 0);
    assertThat(ledger.review(now, 0, live, now).complete()).isTrue();
    assertThat(ledger.heardEvery(live, "self")).isTrue();

    now += D + 1;
    PeerLedger.Review silent = ledger.review(now, 0, live, now);
    assertThat(silent.complete()).isFalse();
    assertThat(silent.departed()).isFalse();

    PeerLedger.Review gone = ledger.review(now, 0, Set.of(), now);
    assertThat(gone.departed()).isTrue();
    assertThat(ledger.heardEvery(live, "self")).as("forgotten").isFalse();
  }
}
