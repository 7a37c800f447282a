package io.lamina.redis;

import io.lamina.spi.FillResult;
import io.lamina.spi.RemoteEntry;
import io.lamina.spi.RemoteStore;
import io.lamina.spi.RemoteStoreSpec;
import io.lamina.spi.Version;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RScriptAsync;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.RedisCommands;
import org.redisson.command.CommandAsyncExecutor;
import org.redisson.command.CommandBatchService;

/**
 * One cache's entries in Redis; see {@link RedissonRemoteTier} for the layout.
 *
 * <p>Past 400 lines because every {@code RemoteStore} operation is here with the Redis calls it makes: which script
 * or command, on which keys, with which arguments, and what is read again when a plain read cannot vouch for an
 * entry. The replies are parsed elsewhere: the scripts' in {@code ScriptReplies}, a plain read's in
 * {@code PlainHit}.
 */
final class RedissonRemoteStore implements RemoteStore {

  private static final byte[] EMPTY = new byte[0];
  /** Entries one {@code read-all.lua} call reads: few enough that the script never holds Redis up for long. */
  static final int READ_ALL_CHUNK = 100;

  private final RedissonClient client;
  private final RemoteStoreSpec spec;
  private final RScript script;
  private final byte[] tombstoneTtl;
  private final RedisKeyspace keyspace;
  /** Whether keys spread over a Cluster's slots, so that a script may not touch several entries at once. */
  private final boolean cluster;
  /** Redisson's command executor, for the plain HMGET of a hit; null for a client that is not Redisson's own. */
  private final @Nullable CommandAsyncExecutor commands;
  /** This node's wall clock in ms, against which a hit's expiry (in Redis' clock) is judged. */
  private final LongSupplier wallClock;

  RedissonRemoteStore(RedissonClient client, RemoteStoreSpec spec) {
    this(client, spec, System::currentTimeMillis);
  }

  RedissonRemoteStore(RedissonClient client, RemoteStoreSpec spec, LongSupplier wallClock) {
    this.client = client;
    this.wallClock = wallClock;
    this.commands = client instanceof Redisson redisson ? redisson.getCommandExecutor() : null;
    this.spec = spec;
    this.script = client.getScript(ByteArrayCodec.INSTANCE);
    this.tombstoneTtl = arg(spec.tombstoneTtl().toMillis());
    this.keyspace = new RedisKeyspace(client, spec);
    this.cluster = client.getConfig().isClusterConfig();
  }

  private String key(String id) {
    return spec.key(id);
  }

  /**
   * Reads a value or negative result with one plain HMGET, which costs Redis and the client about what a GET does
   * (a script call costs several times more in Redis); anything else the HMGET finds (a miss, a lease to ask for,
   * a malformed entry, an entry written by an older Lamina without field x) is read again by {@code read.lua}.
   * The two reads are not atomic together, and need not be: each answers with the version it saw. A client that is
   * not Redisson's own (a wrapper) reads with the script only, as the HMGET needs Redisson's executor to reach the
   * primary.
   */
  @Override
  public CompletionStage<RemoteEntry> read(String id, @Nullable String leaseToken, long leaseMillis) {
    if (commands == null) {
      return readCall(script, id, leaseToken, leaseMillis).thenApply(ScriptReplies::entry);
    }
    String key = key(id);
    // Sent as a write so that it goes to the primary, as the scripts do: Redisson reads replicas by default in a
    // master-replica or Cluster setup, and a replica may not have the write this node was just told about.
    RFuture<List<Object>> plain = commands.writeAsync(key, ByteArrayCodec.INSTANCE, RedisCommands.HMGET,
        PlainHit.hmget(key));
    return plain.handle((fields, error) -> {
      if (error == null) {
        RemoteEntry hit = PlainHit.of(fields, wallClock.getAsLong());
        if (hit != null) {
          return CompletableFuture.completedFuture(hit);
        }
      } else if (!wrongType(error)) {
        return CompletableFuture.<RemoteEntry>failedFuture(error);
      }
      return readCall(script, id, leaseToken, leaseMillis).thenApply(ScriptReplies::entry);
    }).thenCompose(Function.identity());
  }

  private static boolean wrongType(Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return e instanceof RedisException && String.valueOf(e.getMessage()).startsWith("WRONGTYPE");
  }

  private RFuture<List<Object>> readCall(RScriptAsync s, String id, @Nullable String token, long leaseMillis) {
    return s.evalAsync(RScript.Mode.READ_WRITE, Scripts.READ, RScript.ReturnType.LIST, List.of(key(id)),
        token == null ? EMPTY : arg(token), arg(leaseMillis), arg(newIncarnation()));
  }

  /**
   * Reads {@code ids} in one pipelined batch of plain HMGETs for the client's plain-hit check ({@link #plainHits});
   * the entries it cannot vouch for are read again by the scripts, which check them and grant leases: where every
   * key lives on one server, {@link #READ_ALL_CHUNK} to a {@code read-all.lua} call; in a Cluster, which spreads
   * the keys over slots, one {@code read.lua} call per entry. A client that is not Redisson's own checks its hits
   * with {@code read-plain.lua} on one server, and reads every entry with {@code read.lua} in a Cluster.
   */
  @Override
  public CompletionStage<List<RemoteEntry>> readAll(List<String> ids, @Nullable List<String> leaseTokens,
      long leaseMillis) {
    if (ids.size() == 1 && !cluster) {
      return read(ids.get(0), leaseTokens == null ? null : leaseTokens.get(0), leaseMillis).thenApply(List::of);
    }
    if (cluster && commands == null) {
      return entryReads(ids, leaseTokens, leaseMillis);
    }
    return plainHits(ids).thenCompose(hits -> {
      List<Integer> rest = new ArrayList<>();
      for (int i = 0; i < hits.length; i++) {
        if (hits[i] == null) {
          rest.add(i);
        }
      }
      if (rest.isEmpty()) {
        return CompletableFuture.completedFuture(Arrays.asList(hits));
      }
      List<String> restIds = new ArrayList<>(rest.size());
      List<String> restTokens = null;
      for (int i : rest) {
        restIds.add(ids.get(i));
      }
      if (leaseTokens != null) {
        restTokens = new ArrayList<>(rest.size());
        for (int i : rest) {
          restTokens.add(leaseTokens.get(i));
        }
      }
      CompletionStage<List<RemoteEntry>> checked = cluster ? entryReads(restIds, restTokens, leaseMillis)
          : checkedReads(restIds, restTokens, leaseMillis);
      return checked.thenApply(read -> {
        for (int j = 0; j < rest.size(); j++) {
          hits[rest.get(j)] = read.get(j);
        }
        return Arrays.asList(hits);
      });
    });
  }

  /** Reads {@code ids} with {@code read.lua}, one call per entry, in one batch: a Cluster's keys span slots. */
  private CompletionStage<List<RemoteEntry>> entryReads(List<String> ids, @Nullable List<String> leaseTokens,
      long leaseMillis) {
    return batch(ids.size(), (s, i) -> readCall(s, ids.get(i), leaseTokens == null ? null : leaseTokens.get(i),
        leaseMillis), ScriptReplies::entry);
  }

  /**
   * The plain hits among {@code ids}, in order; null where a script must decide. With Redisson's own
   * executor: one HMGET per entry, all in one pipelined batch sent to the primary. Redis runs a plain HMGET in a
   * fraction of what the same HMGET costs it inside a script, which converts every reply to Lua and back (see the
   * l2 report in {@code docs/benchmarks.md}), and nothing here needs the entries read atomically together:
   * each reply is checked on its own, as a single read's is. A wrapped client reads with {@code read-plain.lua}, a
   * chunk to a call (on one server only).
   */
  private CompletionStage<@Nullable RemoteEntry[]> plainHits(List<String> ids) {
    if (commands == null) {
      return scriptedPlainHits(ids);
    }
    CommandBatchService batch = new CommandBatchService(commands, BatchOptions.defaults());
    List<CompletableFuture<List<Object>>> replies = new ArrayList<>(ids.size());
    for (String id : ids) {
      String key = key(id);
      // As a write, so that it goes to the primary, as the single read's HMGET does.
      replies.add(batch.<List<Object>, List<Object>>writeAsync(key, ByteArrayCodec.INSTANCE, RedisCommands.HMGET,
          PlainHit.hmget(key)).toCompletableFuture());
    }
    return batch.executeAsync().handle((done, batchError) -> {
      long now = wallClock.getAsLong();
      @Nullable RemoteEntry[] hits = new RemoteEntry[ids.size()];
      for (int i = 0; i < hits.length; i++) {
        CompletableFuture<List<Object>> reply = replies.get(i);
        if (!reply.isDone()) {
          throw new CompletionException(batchError != null ? batchError
              : new IllegalStateException("a pipelined HMGET has no reply"));
        }
        if (!reply.isCompletedExceptionally()) {
          hits[i] = PlainHit.of(reply.join(), now);
          continue;
        }
        Throwable error = reply.handle((r, e) -> e).join();
        if (!wrongType(error)) {
          throw error instanceof CompletionException ce ? ce : new CompletionException(error);
        }
        // A key of another type: left null, for read-all.lua to report it as unreadable.
      }
      return hits;
    });
  }

  /** {@link #plainHits} with {@code read-plain.lua}, up to {@link #READ_ALL_CHUNK} entries to a call. */
  private CompletionStage<@Nullable RemoteEntry[]> scriptedPlainHits(List<String> ids) {
    Object[] fields = PlainHit.fieldArgs();
    int chunks = (ids.size() + READ_ALL_CHUNK - 1) / READ_ALL_CHUNK;
    return batch(chunks, (s, c) -> {
      List<Object> keys = new ArrayList<>(READ_ALL_CHUNK);
      for (int i = c * READ_ALL_CHUNK; i < Math.min(ids.size(), (c + 1) * READ_ALL_CHUNK); i++) {
        keys.add(key(ids.get(i)));
      }
      return s.<List<Object>>evalAsync(RScript.Mode.READ_WRITE, Scripts.READ_PLAIN, RScript.ReturnType.LIST, keys,
          fields);
    }, replies -> replies).thenApply(chunkReplies -> {
      long now = wallClock.getAsLong();
      @Nullable RemoteEntry[] hits = new RemoteEntry[ids.size()];
      int at = 0;
      for (List<Object> replies : chunkReplies) {
        for (Object reply : replies) {
          if (at < hits.length) {
            hits[at] = reply instanceof List<?> r ? PlainHit.of(r, now) : null;
          }
          at++;
        }
      }
      return at == ids.size() ? hits : new RemoteEntry[ids.size()]; // a reply of another length: check them all
    });
  }

  /** Reads {@code ids} with {@code read-all.lua}, up to {@link #READ_ALL_CHUNK} entries to a call, in one batch. */
  private CompletionStage<List<RemoteEntry>> checkedReads(List<String> ids, @Nullable List<String> leaseTokens,
      long leaseMillis) {
    int chunks = (ids.size() + READ_ALL_CHUNK - 1) / READ_ALL_CHUNK;
    return batch(chunks, (s, c) -> {
      int from = c * READ_ALL_CHUNK;
      int to = Math.min(ids.size(), from + READ_ALL_CHUNK);
      List<Object> keys = new ArrayList<>(to - from);
      Object[] args = new Object[1 + 2 * (to - from)];
      args[0] = arg(leaseMillis);
      for (int i = from; i < to; i++) {
        keys.add(key(ids.get(i)));
        String token = leaseTokens == null ? null : leaseTokens.get(i);
        args[1 + 2 * (i - from)] = token == null ? EMPTY : arg(token);
        args[2 + 2 * (i - from)] = arg(newIncarnation());
      }
      return s.<List<Object>>evalAsync(RScript.Mode.READ_WRITE, Scripts.READ_ALL, RScript.ReturnType.LIST, keys,
          args);
    }, replies -> replies).thenApply(chunkReplies -> {
      List<RemoteEntry> entries = new ArrayList<>(ids.size());
      for (List<Object> replies : chunkReplies) {
        for (Object reply : replies) {
          entries.add(reply instanceof List<?> r ? ScriptReplies.entry(castReply(r)) : ScriptReplies.CORRUPT);
        }
      }
      if (entries.size() != ids.size()) {
        throw new IllegalStateException("read-all.lua answered " + entries.size() + " entries for " + ids.size());
      }
      return entries;
    });
  }

  @SuppressWarnings("unchecked")
  private static List<Object> castReply(List<?> reply) {
    return (List<Object>) reply;
  }

  @Override
  public CompletionStage<FillResult> fill(String id, String leaseToken, byte @Nullable [] payload, long ttlMillis,
      long sourceVersion) {
    return fillCall(script, id, leaseToken, payload, ttlMillis, sourceVersion).thenApply(ScriptReplies::fill);
  }

  private RFuture<List<Object>> fillCall(RScriptAsync s, String id, String token, byte @Nullable [] payload,
      long ttlMillis, long sourceVersion) {
    return s.evalAsync(RScript.Mode.READ_WRITE, Scripts.FILL, RScript.ReturnType.LIST, List.of(key(id)),
        arg(token), payload == null ? EMPTY : payload, arg(ttlMillis), arg(payload == null ? "1" : "0"),
        sourceVersion == NO_SOURCE_VERSION ? EMPTY : arg(sourceVersion));
  }

  @Override
  public CompletionStage<List<FillResult>> fillAll(List<Fill> fills) {
    return batch(fills.size(), (s, i) -> {
      Fill f = fills.get(i);
      return fillCall(s, f.id(), f.leaseToken(), f.payload(), f.ttlMillis(), f.sourceVersion());
    }, ScriptReplies::fill);
  }

  @Override
  public CompletionStage<Version> tombstone(String id) {
    if (spec.previousSchemaVersions().isEmpty()) {
      return markCall(script, key(id), "T", tombstoneTtl).thenApply(ScriptReplies::version);
    }
    return tombstoneAll(List.of(id)).thenApply(versions -> versions.get(0));
  }

  @Override
  public CompletionStage<List<Version>> tombstoneAll(List<String> ids) {
    return fenceAll(ids, null);
  }

  @Override
  public CompletionStage<List<Version>> fenceAll(List<String> ids, long @Nullable [] fences) {
    if (fences != null && fences.length != ids.size()) {
      throw new IllegalArgumentException("fences: " + fences.length + " for " + ids.size() + " ids");
    }
    List<Integer> previous = spec.previousSchemaVersions();
    int per = 1 + previous.size();
    // One batch: each id's current key first, then its keys under the schema versions still in service.
    return batch(ids.size() * per, (s, i) -> {
      String id = ids.get(i / per);
      int which = i % per;
      String key = which == 0 ? key(id) : spec.key(previous.get(which - 1), id);
      long fence = fences == null ? NO_FENCE : fences[i / per];
      return markCall(s, key, "T", tombstoneTtl, fence == NO_FENCE ? EMPTY : arg(fence));
    }, ScriptReplies::version).thenApply(all -> {
      List<Version> current = new ArrayList<>(ids.size());
      for (int i = 0; i < all.size(); i += per) {
        current.add(all.get(i));
      }
      return current;
    });
  }

  @Override
  public CompletionStage<Version> intent(String id, long ttlMillis) {
    byte[] ttl = arg(ttlMillis);
    if (spec.previousSchemaVersions().isEmpty()) {
      return markCall(script, key(id), "I", ttl).thenApply(ScriptReplies::version);
    }
    return withPreviousSchemas(id, s -> markCall(s, key(id), "I", ttl), "I", ttl)
        .thenApply(ScriptReplies::version);
  }

  /**
   * Runs {@code current} on the id's current key and, in the same pipelined batch, marks its keys under every
   * previous schema version still in service ({@code state}: T or I), so nodes not yet upgraded cannot keep
   * or fill an older value during a rolling deploy. Returns the reply of {@code current}.
   */
  private CompletionStage<List<Object>> withPreviousSchemas(String id, Function<RScriptAsync,
      RFuture<List<Object>>> current, String state, byte[] ttl) {
    List<Integer> previous = spec.previousSchemaVersions();
    return batch(1 + previous.size(), (s, i) -> i == 0 ? current.apply(s)
        : markCall(s, spec.key(previous.get(i - 1), id), state, ttl), reply -> reply)
        .thenApply(all -> all.get(0));
  }

  private RFuture<List<Object>> markCall(RScriptAsync s, String key, String state, byte[] ttl) {
    return markCall(s, key, state, ttl, EMPTY);
  }

  private RFuture<List<Object>> markCall(RScriptAsync s, String key, String state, byte[] ttl, byte[] fence) {
    return s.evalAsync(RScript.Mode.READ_WRITE, Scripts.MARK, RScript.ReturnType.LIST, List.of(key),
        arg(state), ttl, arg(newIncarnation()), fence);
  }

  @Override
  public CompletionStage<FillResult> putVersioned(String id, long sourceVersion, byte[] payload, long ttlMillis) {
    if (spec.previousSchemaVersions().isEmpty()) {
      return putVersionedCall(script, id, sourceVersion, payload, ttlMillis).thenApply(ScriptReplies::fill);
    }
    return withPreviousSchemas(id, s -> putVersionedCall(s, id, sourceVersion, payload, ttlMillis), "T",
        tombstoneTtl).thenApply(ScriptReplies::fill);
  }

  private RFuture<List<Object>> putVersionedCall(RScriptAsync s, String id, long sourceVersion, byte[] payload,
      long ttlMillis) {
    return s.evalAsync(RScript.Mode.READ_WRITE, Scripts.PUT_VERSIONED, RScript.ReturnType.LIST, List.of(key(id)),
        arg(sourceVersion), payload, arg(ttlMillis), arg(newIncarnation()));
  }

  @Override
  public CompletionStage<Boolean> removeCorrupt(String id, Version expected) {
    RFuture<Long> call = script.evalAsync(RScript.Mode.READ_WRITE, Scripts.REMOVE_CORRUPT,
        RScript.ReturnType.LONG, List.of(key(id)), arg(expected.incarnation()), arg(expected.counter()),
        tombstoneTtl, arg(newIncarnation()));
    return call.thenApply(replaced -> replaced != null && replaced == 1L);
  }

  @Override
  public CompletionStage<Void> clear() {
    return keyspace.clear();
  }

  @Override
  public CompletionStage<RemoteEntry> leaseForRefresh(String id, String leaseToken, long leaseMillis,
      long aheadMillis) {
    RFuture<List<Object>> call = script.evalAsync(RScript.Mode.READ_WRITE, Scripts.REFRESH_LEASE,
        RScript.ReturnType.LIST, List.of(key(id)), arg(leaseToken), arg(leaseMillis), arg(aheadMillis));
    return call.thenApply(ScriptReplies::entry);
  }

  /** The sorted set of hot keys: beside the cache's entries, under no schema version (so never an id's key). */
  private String hotKeysKey() {
    return spec.namespace() + ':' + spec.cacheName() + ":~hot";
  }

  @Override
  public CompletionStage<Void> recordHotKeys(Map<String, Long> counts, long ttlMillis) {
    Map<String, Double> scores = new LinkedHashMap<>();
    counts.forEach((id, count) -> scores.put(id, count.doubleValue()));
    RBatch batch = client.createBatch(BatchOptions.defaults());
    var set = batch.<String>getScoredSortedSet(hotKeysKey(), StringCodec.INSTANCE);
    set.addAllIfGreaterAsync(scores); // each id keeps the highest count any node reported
    set.expireAsync(Duration.ofMillis(ttlMillis));
    return batch.executeAsync().thenApply(done -> null);
  }

  @Override
  public CompletionStage<List<String>> hotKeys(int limit) {
    return client.<String>getScoredSortedSet(hotKeysKey(), StringCodec.INSTANCE)
        .valueRangeReversedAsync(0, limit - 1).thenApply(List::copyOf);
  }

  /** Runs {@code count} script calls in one pipelined batch and maps each reply. */
  private <T> CompletionStage<List<T>> batch(int count, BatchCall call, Function<List<Object>, T> map) {
    if (count == 0) {
      return CompletableFuture.completedFuture(List.of());
    }
    RBatch batch = client.createBatch(BatchOptions.defaults());
    RScriptAsync s = batch.getScript(ByteArrayCodec.INSTANCE);
    List<RFuture<List<Object>>> replies = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      replies.add(call.add(s, i));
    }
    return batch.executeAsync().thenApply(done -> {
      List<T> out = new ArrayList<>(count);
      for (RFuture<List<Object>> reply : replies) {
        out.add(map.apply(reply.toCompletableFuture().join()));
      }
      return out;
    });
  }

  @FunctionalInterface
  private interface BatchCall {
    RFuture<List<Object>> add(RScriptAsync script, int index);
  }

  private static byte[] arg(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] arg(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }

  private static long newIncarnation() {
    return ThreadLocalRandom.current().nextLong(1, Version.MAX_INCARNATION);
  }
}
