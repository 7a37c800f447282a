package io.lamina.redis;

import io.lamina.spi.KeyFilter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.redisson.api.RBloomFilter;
import org.redisson.api.RScript;

/**
 * The rebuild protocol of a {@link RedissonKeyFilter}: it registers a fresh generation under a deadline on the
 * server's clock, fills it in chunks with at most {@value #IN_FLIGHT} writes in flight, and switches the pointer by
 * script only if the pointer still names the generation it replaces. It owns the build deadline, measured on the
 * store's ticker: a fill or a switch past it fails, and the generation it leaves behind is cancelled (best effort)
 * or deleted by a later rebuild. The generation in service is untouched until the switch.
 */
final class KeyFilterRebuild {

  private static final int IN_FLIGHT = 4;

  private final KeyFilterStore store;
  private final long expectedInsertions;
  private final double falseProbability;
  private final Duration buildTimeout;

  KeyFilterRebuild(KeyFilterStore store, long expectedInsertions, double falseProbability, Duration buildTimeout) {
    this.store = store;
    this.expectedInsertions = expectedInsertions;
    this.falseProbability = falseProbability;
    this.buildTimeout = buildTimeout;
  }

  /** Builds a generation holding {@code ids} and puts it in service; see {@link KeyFilter#rebuild}. */
  void run(Iterable<String> ids) {
    Objects.requireNonNull(ids, "key filter ids must not be null");
    long buildDeadline = store.deadline(buildTimeout);
    String pointer = store.pointer();
    String generation = pointer + ':' + Long.toHexString(ThreadLocalRandom.current().nextLong())
        + Long.toHexString(ThreadLocalRandom.current().nextLong());
    KeyFilterView before = store.refresh(store.callDeadline(), "rebuild");
    List<Object> keys = new ArrayList<>(List.of(pointer));
    List<Object> args = new ArrayList<>(List.of(generation, Long.toString(buildTimeout.toMillis())));
    for (String expired : before.expired()) {
      keys.add(expired);
      keys.add(KeyFilterStore.configOf(expired));
      args.add(expired);
    }
    store.call(KeyFilterScripts.PREPARE, RScript.ReturnType.LONG, keys, args, "rebuild");
    boolean switched = false;
    try {
      RBloomFilter<String> next = store.bloomFilter(generation);
      store.awaitOrFail(next.tryInitAsync(expectedInsertions, falseProbability), store.callDeadline(), "rebuild");
      store.awaitOrFail(next.addAsync(List.of(KeyFilterStore.SENTINEL)), store.callDeadline(), "rebuild");
      Object opened = store.call(KeyFilterScripts.OPEN, RScript.ReturnType.LONG, List.of(pointer),
          List.of(generation), "rebuild");
      if (!Long.valueOf(1).equals(opened)) {
        throw store.unavailable("rebuild: generation " + generation + " expired before it was filled", null);
      }
      store.adopt(generation, next);
      fill(next, ids, buildDeadline);
      switched = switchTo(generation, buildDeadline);
    } finally {
      if (!switched) {
        store.forget(generation);
        // Best effort, without waiting: a build left behind expires and a later rebuild deletes it.
        var unused = store.eval(KeyFilterScripts.CANCEL, RScript.ReturnType.LONG,
            List.of(pointer, generation, KeyFilterStore.configOf(generation)), generation);
      }
    }
  }

  private void fill(RBloomFilter<String> next, Iterable<String> ids, long buildDeadline) {
    ArrayDeque<CompletableFuture<?>> inFlight = new ArrayDeque<>();
    List<String> chunk = new ArrayList<>(KeyFilterStore.CHUNK);
    for (String id : ids) {
      chunk.add(KeyFilter.checkId(id));
      if (chunk.size() == KeyFilterStore.CHUNK) {
        send(next, chunk, inFlight, buildDeadline);
        chunk = new ArrayList<>(KeyFilterStore.CHUNK);
      }
    }
    if (!chunk.isEmpty()) {
      send(next, chunk, inFlight, buildDeadline);
    }
    while (!inFlight.isEmpty()) {
      store.awaitOrFail(inFlight.removeFirst(), store.callDeadline(), "rebuild");
    }
  }

  private void send(RBloomFilter<String> next, List<String> chunk, ArrayDeque<CompletableFuture<?>> inFlight,
      long buildDeadline) {
    if (store.now() - buildDeadline > 0) {
      throw store.unavailable("rebuild ran past its build timeout of " + buildTimeout, null);
    }
    if (inFlight.size() == IN_FLIGHT) {
      store.awaitOrFail(inFlight.removeFirst(), store.callDeadline(), "rebuild");
    }
    inFlight.add(next.addAsync(chunk).toCompletableFuture());
  }

  /** Switches the pointer to {@code generation} if it still names what this node last read; retries if not. */
  private boolean switchTo(String generation, long buildDeadline) {
    String pointer = store.pointer();
    String expected = store.refresh(store.callDeadline(), "rebuild").currentOrEmpty();
    while (store.now() - buildDeadline < 0) {
      List<Object> keys = new ArrayList<>(List.of(pointer, generation, KeyFilterStore.configOf(generation)));
      if (!expected.isEmpty()) {
        keys.add(expected);
        keys.add(KeyFilterStore.configOf(expected));
      }
      List<?> reply = (List<?>) store.call(KeyFilterScripts.SWITCH, RScript.ReturnType.LIST, keys,
          List.of(generation, expected), "rebuild");
      String outcome = String.valueOf(reply.get(0));
      if (outcome.equals("switched")) {
        store.switched(generation, expected);
        return true;
      }
      if (outcome.equals("expired")) {
        break;
      }
      expected = String.valueOf(reply.get(1));
    }
    throw store.unavailable("rebuild: generation " + generation + " ran past its build timeout of " + buildTimeout
        + " before it could switch", null);
  }
}
