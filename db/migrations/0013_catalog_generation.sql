-- The generation of the public catalog (issue 5, search throughput): a counter that
-- every change to the search projection (item_public, item_summaries) moves on, in
-- the same transaction.  The in-memory search index (src/catalog/catalog_index.c)
-- remembers the generation it was built from and rebuilds when a reader sees another
-- one; a rolled-back change rolls the counter back too, and the CLI importing in
-- another process moves it just the same.
CREATE TABLE catalog_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    gen INTEGER NOT NULL
);
INSERT INTO catalog_generation(id, gen) VALUES (1, 1);

CREATE TRIGGER catalog_gen_public_ai AFTER INSERT ON item_public BEGIN
    UPDATE catalog_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER catalog_gen_public_ad AFTER DELETE ON item_public BEGIN
    UPDATE catalog_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER catalog_gen_public_au AFTER UPDATE ON item_public BEGIN
    UPDATE catalog_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER catalog_gen_summaries_ai AFTER INSERT ON item_summaries BEGIN
    UPDATE catalog_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER catalog_gen_summaries_ad AFTER DELETE ON item_summaries BEGIN
    UPDATE catalog_generation SET gen = gen + 1 WHERE id = 1;
END;
CREATE TRIGGER catalog_gen_summaries_au AFTER UPDATE ON item_summaries BEGIN
    UPDATE catalog_generation SET gen = gen + 1 WHERE id = 1;
END;
