package io.lamina;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a cache holds for one key, found without loading ({@link TieredCache#lookup}): a value, a negative result
 * (the loader found nothing and that was cached), or nothing at all. {@link TieredCache#getIfPresent} returns null
 * for both of the last two.
 *
 * @param state which of the three
 * @param value the value when {@code state} is {@link State#VALUE}; null otherwise
 * @param <V> the value type
 */
public record Lookup<V>(State state, @Nullable V value) {

  /** What was found. */
  public enum State {
    /** A value, in L1 or L2. */
    VALUE,
    /** A cached negative result: the source had no value for the key when it was last loaded. */
    NEGATIVE,
    /** Neither tier holds the key. */
    MISS
  }

  private static final Lookup<?> NEGATIVE_RESULT = new Lookup<>(State.NEGATIVE, null);
  private static final Lookup<?> NOTHING = new Lookup<>(State.MISS, null);

  public Lookup {
    Objects.requireNonNull(state, "state");
    if ((state == State.VALUE) != (value != null)) {
      throw new IllegalArgumentException("a lookup holds a value exactly when its state is VALUE (state " + state
          + ", value " + (value == null ? "null" : "present") + ")");
    }
  }

  /** A value was found. */
  public static <V> Lookup<V> of(V value) {
    return new Lookup<>(State.VALUE, Objects.requireNonNull(value, "value"));
  }

  /** A negative result was found. */
  @SuppressWarnings("unchecked")
  public static <V> Lookup<V> negative() {
    return (Lookup<V>) NEGATIVE_RESULT;
  }

  /** Nothing was found. */
  @SuppressWarnings("unchecked")
  public static <V> Lookup<V> miss() {
    return (Lookup<V>) NOTHING;
  }

  /** Whether the cache answered (a value or a negative result), so the source need not be asked. */
  public boolean isHit() {
    return state != State.MISS;
  }
}
