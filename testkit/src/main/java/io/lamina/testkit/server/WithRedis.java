package io.lamina.testkit.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the test class a Redis server: declare a {@link RedisServer} parameter on the constructor, a test
 * method or a lifecycle method. One server per test class, stopped after it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ServerExtension.class)
public @interface WithRedis {
  /** Extra {@code redis-server} arguments, such as {@code {"--maxmemory", "1mb"}}. */
  String[] args() default {};
}
