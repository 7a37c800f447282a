package io.lamina.testkit.memory;

import io.lamina.TierUnavailableException;
import io.lamina.spi.KeyFilter;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link KeyFilter} on an exact set, for unit tests: no false positives, thread-safe, one instance standing
 * for the filter every node shares. {@link #failWith} makes it behave as an unreachable store.
 *
 * <p>A rebuild fills a new set while adds go to both the old and the new one; the switch is one volatile write,
 * taken under a write lock so that no add can fall between the old set and the new.
 */
public final class InMemoryKeyFilter implements KeyFilter {

  private final String name;
  private final ReadWriteLock switchLock = new ReentrantReadWriteLock();
  private final List<Set<String>> building = new CopyOnWriteArrayList<>();
  private final AtomicLong lookups = new AtomicLong();
  private volatile Set<String> current = ConcurrentHashMap.newKeySet();
  private volatile @Nullable Supplier<? extends Throwable> failure;

  /** An empty filter named {@code in-memory}. */
  public InMemoryKeyFilter() {
    this("in-memory");
  }

  /** An empty filter with the given name. */
  public InMemoryKeyFilter(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  @Override
  public boolean mightContain(String id) {
    KeyFilter.checkId(id);
    lookups.incrementAndGet();
    failIfBroken("mightContain");
    return current.contains(id);
  }

  @Override
  public void add(String id) {
    addAll(List.of(KeyFilter.checkId(id)));
  }

  @Override
  public void addAll(Collection<String> ids) {
    List<String> valid = KeyFilter.checkIds(ids);
    failIfBroken("add");
    switchLock.readLock().lock();
    try {
      current.addAll(valid);
      for (Set<String> next : building) {
        next.addAll(valid);
      }
    } finally {
      switchLock.readLock().unlock();
    }
  }

  @Override
  @SuppressWarnings("ReferenceEquality") // by identity: two rebuilds may be filling equal sets
  public void rebuild(Iterable<String> ids) {
    Objects.requireNonNull(ids, "key filter ids must not be null");
    failIfBroken("rebuild");
    Set<String> next = ConcurrentHashMap.newKeySet();
    withWriteLock(() -> building.add(next));
    try {
      for (String id : ids) {
        next.add(KeyFilter.checkId(id));
      }
      failIfBroken("rebuild");
      withWriteLock(() -> current = next);
    } finally {
      withWriteLock(() -> building.removeIf(s -> s == next));
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** Makes every call throw {@link TierUnavailableException} caused by what {@code error} supplies. */
  public void failWith(Supplier<? extends Throwable> error) {
    this.failure = Objects.requireNonNull(error, "error");
  }

  /** Ends a {@link #failWith} outage; the contents are as they were. */
  public void heal() {
    this.failure = null;
  }

  /** How many {@link #mightContain} calls were made (valid ids only, failed ones included). */
  public long lookups() {
    return lookups.get();
  }

  /** How many ids the current contents hold. */
  public int size() {
    return current.size();
  }

  private void failIfBroken(String operation) {
    Supplier<? extends Throwable> f = failure;
    if (f != null) {
      throw new TierUnavailableException("key filter '" + name + "': " + operation + " failed", f.get());
    }
  }

  private void withWriteLock(Runnable action) {
    switchLock.writeLock().lock();
    try {
      action.run();
    } finally {
      switchLock.writeLock().unlock();
    }
  }
}
