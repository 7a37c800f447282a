package io.lamina.quarkus.deployment;

import io.lamina.quarkus.runtime.LaminaCaches;
import io.quarkus.cache.CacheInvalidate;
import io.quarkus.cache.CacheManager;
import io.quarkus.cache.CacheResult;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.RAtomicLong;
import org.redisson.api.RList;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The application {@link TwoAppsIT} packages and starts twice. As {@code app.role=writer} it changes the source
 * {@code app.writes} times, each followed by an {@code @CacheInvalidate}, and records when each invalidation
 * began; as {@code app.role=reader} it reads the key through {@code @CacheResult} (an L1 hit while nothing
 * changes) until it returns the new version, and records when it did. Both times are {@link System#nanoTime()},
 * which on Linux is one clock for every process of the machine. The two coordinate through Redis, so each write
 * starts only once the reader holds the previous version in its L1. Records go to Redis lists the test reads.
 */
@Singleton
public class PropagationApp {

  private static final String KEY = "k";

  @Inject
  LaminaCaches caches;

  @Inject
  CacheManager manager;

  @ConfigProperty(name = "app.role")
  String role;

  @ConfigProperty(name = "app.writes")
  int writes;

  @ConfigProperty(name = "app.run")
  String run;

  @CacheResult(cacheName = "versions")
  public Long version(String key) {
    return source().get();
  }

  /** Quarkus invalidates before the body runs: the source is written before this is called. */
  @CacheInvalidate(cacheName = "versions")
  public void changed(String key) {
  }

  void start(@Observes StartupEvent event) {
    manager.getCacheNames(); // the caches are built with the manager
    Thread t = new Thread(() -> {
      try {
        awaitTrusted();
        if (role.equals("writer")) {
          write();
        } else {
          read();
        }
      } catch (RuntimeException | Error e) {
        e.printStackTrace();
        list("errors").add(role + ": " + e);
      }
    }, "propagation-" + role);
    t.setDaemon(true);
    t.start();
  }

  private void awaitTrusted() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!caches.get("versions").tiered().coherence().trusted()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the bus was not trusted within 30 s");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  private void read() {
    long v = version(KEY);
    ready().set(v);
    for (long i = v + 1; i <= writes; i++) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (version(KEY) < i) {
        if (System.nanoTime() > deadline) {
          list("errors").add("reader: version " + i + " not seen within 5 s");
          return;
        }
        LockSupport.parkNanos(50_000);
      }
      long seen = System.nanoTime();
      list("seen").add(i + ":" + seen);
      ready().set(i);
    }
  }

  private void write() {
    for (long i = 1; i <= writes; i++) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (ready().get() != i - 1) {
        if (System.nanoTime() > deadline) {
          list("errors").add("writer: the reader did not reach version " + (i - 1) + " within 30 s");
          return;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // the reader is back to polling its L1
      source().set(i);
      long start = System.nanoTime();
      changed(KEY);
      list("start").add(i + ":" + start);
    }
  }

  private RedissonClient redis() {
    RedissonClient client = caches.redisson();
    if (client == null) {
      throw new IllegalStateException("no Redis");
    }
    return client;
  }

  private RAtomicLong source() {
    return redis().getAtomicLong(run + ":source");
  }

  private RAtomicLong ready() {
    return redis().getAtomicLong(run + ":ready");
  }

  private RList<String> list(String name) {
    return redis().getList(run + ":" + name, StringCodec.INSTANCE);
  }
}
