/** A runnable demo of Lamina in plain Java. */
@NullMarked
package io.lamina.examples;

import org.jspecify.annotations.NullMarked;
