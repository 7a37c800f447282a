/** The demo's load driver: HTTP load against the catalog instances, a staleness check, a summary and a chart. */
@NullMarked
package io.lamina.examples.demo;

import org.jspecify.annotations.NullMarked;
