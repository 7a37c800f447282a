-- The prices of the catalog's products 1..1000 (the catalog's starting prices, no discount) on first start; an
-- instance that finds the table adds nothing.
CREATE TABLE IF NOT EXISTS prices (
  product_id       BIGINT  PRIMARY KEY,
  list_cents       BIGINT  NOT NULL CHECK (list_cents >= 0),
  discount_percent INTEGER NOT NULL CHECK (discount_percent BETWEEN 0 AND 99),
  version          BIGINT  NOT NULL
);
INSERT INTO prices (product_id, list_cents, discount_percent, version)
SELECT i, 1000 + (i * 37) % 50000, 0, 1 FROM generate_series(1, 1000) AS i
ON CONFLICT (product_id) DO NOTHING;
