/**
 * The facade's behaviour tests. They live here, not in core, because they run against this module's in-memory
 * tiers and bus and its fault injection, and this module depends on core; see docs/architecture.md, "Where the
 * tests are".
 */
package io.lamina.facade;
