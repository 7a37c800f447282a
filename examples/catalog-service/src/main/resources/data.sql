-- 1,000 products on first start; a second instance on the same database finds them and adds nothing.
INSERT INTO products (id, name, price_cents, version)
SELECT i, (ARRAY['Espresso machine', 'Grinder', 'Kettle', 'Milk jug', 'Tamper', 'Scale', 'Filter', 'Mug'])[1 + i % 8]
          || ' #' || i, 1000 + (i * 37) % 50000, 1
FROM generate_series(1, 1000) AS i
ON CONFLICT (id) DO NOTHING;
SELECT setval(pg_get_serial_sequence('products', 'id'), GREATEST((SELECT MAX(id) FROM products), 1000));
