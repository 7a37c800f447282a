package io.lamina.examples.pricing;

/**
 * What the service answers and caches: the price a product sells at, computed from its {@link PriceRow}, with
 * that row's version so a client can tell an old quote from a new one.
 */
public record Quote(long productId, long listCents, int discountPercent, long priceCents, long version) {

  /** The quote of a row: the list price less the discount, rounded half up to the cent. */
  public static Quote of(PriceRow row) {
    long price = (row.listCents() * (100 - row.discountPercent()) + 50) / 100;
    return new Quote(row.productId(), row.listCents(), row.discountPercent(), price, row.version());
  }
}
