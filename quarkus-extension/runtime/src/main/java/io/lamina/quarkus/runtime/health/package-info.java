/** SmallRye Health readiness checks, registered only when the application has quarkus-smallrye-health. */
@NullMarked
package io.lamina.quarkus.runtime.health;

import org.jspecify.annotations.NullMarked;
