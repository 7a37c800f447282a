/** An example Spring Boot service: a product catalog over PostgreSQL, cached by Lamina. */
@NullMarked
package io.lamina.examples.catalog;

import org.jspecify.annotations.NullMarked;
