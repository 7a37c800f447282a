package io.lamina.spring;

/** What {@code @CachePut} and {@link org.springframework.cache.Cache#put} do with a {@link LaminaCache}. */
public enum PutMode {

  /**
   * The cache's write (its write strategy): invalidate the key on every instance, so the next read loads the
   * fresh value; the value is stored only when the cache knows the source's own version of it. Never keeps an
   * older value, whatever order concurrent writers' cache calls land in.
   */
  INVALIDATE,

  /**
   * The cache's write, then a fill of the value in both tiers (unless a newer fill got there first). Saves the
   * next load; but when two writers put one key at once, the cache may keep the value whose call came first,
   * until its TTL, as with any cache that stores what it is handed.
   */
  STORE
}
