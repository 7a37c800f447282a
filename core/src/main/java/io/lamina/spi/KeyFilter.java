package io.lamina.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The ids that may exist at the source, asked before the loader so that a key which cannot exist never reaches
 * it (cache penetration). Usually a Bloom filter: it may answer "may exist" for an id never added (a false
 * positive, at about the configured probability), but never "absent" for an id that was added.
 *
 * <p>Ids are canonical ids, as {@link KeyCodec#toId} gives them. Any character is allowed, spaces included; the
 * only invalid ids are null ({@link NullPointerException}) and the empty string ({@link IllegalArgumentException}),
 * rejected by every method before it changes anything.
 *
 * <h2>Staying complete</h2>
 *
 * <p>A writer {@linkplain #add adds} an id <em>before</em> inserting it at the source, so no reader can find the
 * source row while the filter still says "absent". A periodic {@link #rebuild} from the source sheds deleted ids.
 * A rebuild keeps every id whose add <em>began</em> after it asked {@code ids} for its iterator (on any node
 * sharing the filter); any other id survives only if {@code ids} holds it. So:
 *
 * <ul>
 *   <li>the rebuild job reads the source lazily, inside the iterator (never a list read before the call), so
 *       {@code ids} holds every row committed before the iterator was asked for;
 *   <li>writers add the id once more after the source insert commits, so an insert still running when the
 *       iterator was asked for is kept through that second add.
 * </ul>
 *
 * <h2>Failures</h2>
 *
 * <p>A filter that cannot answer (its store is unreachable, too slow, or has lost the filter) throws
 * {@link io.lamina.TierUnavailableException} within its call timeout; it never blocks longer and never turns an
 * outage into "absent". The caller must treat that exception as "may exist" (fail open: go on to the remote tier
 * and the loader) and report it like any tier failure; it must not treat it as a miss. A failed {@link #add}
 * means the id may be missing from the filter: the caller should not insert at the source (or must accept that
 * the id may read as absent until the next rebuild). A failed {@link #rebuild} leaves the previous contents in
 * service.
 *
 * <p>Implementations are thread-safe. Implementations backed by a shared store (such as Redis) give every node
 * the same contents.
 */
public interface KeyFilter {

  /**
   * Whether {@code id} may exist: {@code false} only if it was certainly never added since the contents were
   * last rebuilt, so the source cannot have it; {@code true} if it may exist. Never {@code false} for an id
   * whose {@link #add} returned, including while a rebuild switches contents.
   *
   * @throws io.lamina.TierUnavailableException if the filter cannot answer within its call timeout (the caller
   *     treats the id as possibly existing)
   * @throws NullPointerException if {@code id} is null
   * @throws IllegalArgumentException if {@code id} is empty
   */
  boolean mightContain(String id);

  /**
   * Records {@code id} as existing. Called before the source insert (and again after it commits; see the class
   * comment); once this returns, no {@link #mightContain} on any node answers {@code false} for it until a rebuild
   * without it.
   *
   * @throws io.lamina.TierUnavailableException if the id could not be recorded within the call timeout
   * @throws NullPointerException if {@code id} is null
   * @throws IllegalArgumentException if {@code id} is empty
   */
  void add(String id);

  /**
   * Records every id of {@code ids}, as {@link #add} does for each. All ids are checked before any is added.
   *
   * @throws io.lamina.TierUnavailableException if the ids could not all be recorded; some may have been
   * @throws NullPointerException if {@code ids} or one of its ids is null
   * @throws IllegalArgumentException if one of the ids is empty
   */
  default void addAll(Collection<String> ids) {
    for (String id : checkIds(ids)) {
      add(id);
    }
  }

  /**
   * Replaces the contents with exactly {@code ids}, plus every id whose add began after this call asked
   * {@code ids} for its iterator. Readers keep seeing the previous contents until the new ones are complete, then
   * see the new ones at once: no id present in both reads as absent at any moment. {@code ids} is iterated once;
   * read the source lazily inside its iterator. Concurrent rebuilds (on this node or others) each build a
   * complete set; the last to finish wins.
   *
   * @throws io.lamina.TierUnavailableException if the store failed or the rebuild ran out of time; the previous
   *     contents stay in service
   * @throws NullPointerException if {@code ids} or one of its ids is null (the previous contents stay)
   * @throws IllegalArgumentException if one of the ids is empty (the previous contents stay)
   */
  void rebuild(Iterable<String> ids);

  /** A short name for logs and metrics, such as the implementation and what it filters. */
  String name();

  /**
   * Returns {@code id} if it is a valid id.
   *
   * @throws NullPointerException if {@code id} is null
   * @throws IllegalArgumentException if {@code id} is empty
   */
  static String checkId(String id) {
    Objects.requireNonNull(id, "key filter id must not be null");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("key filter id must not be empty");
    }
    return id;
  }

  /**
   * A copy of {@code ids} once every id is valid.
   *
   * @throws NullPointerException if {@code ids} or one of its ids is null
   * @throws IllegalArgumentException if one of the ids is empty, naming its position
   */
  static List<String> checkIds(Collection<String> ids) {
    Objects.requireNonNull(ids, "key filter ids must not be null");
    List<String> copy = new ArrayList<>(ids.size());
    for (String id : ids) {
      if (id == null) {
        throw new NullPointerException("key filter id at index " + copy.size() + " must not be null");
      }
      if (id.isEmpty()) {
        throw new IllegalArgumentException("key filter id at index " + copy.size() + " must not be empty");
      }
      copy.add(id);
    }
    return copy;
  }
}
