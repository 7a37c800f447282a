package io.lamina.examples.catalog;

/** A product row. {@code version} is the row version: the database bumps it on every update. */
public record Product(long id, String name, long priceCents, long version) {}
