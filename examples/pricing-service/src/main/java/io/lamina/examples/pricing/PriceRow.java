package io.lamina.examples.pricing;

/**
 * A row of the {@code prices} table: a product's list price and discount. {@code version} is the row version:
 * the database bumps it on every update.
 */
public record PriceRow(long productId, long listCents, int discountPercent, long version) {}
