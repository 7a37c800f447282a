package io.lamina.examples;

/** The demo's value: a product row with its row version. */
public record Product(long id, String name, long priceCents, long version) {}
