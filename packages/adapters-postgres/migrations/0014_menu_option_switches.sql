-- Staff switch single options of an item off (a sauce runs out) without touching the rest of the item.
ALTER TABLE menu_stock ADD COLUMN unavailable_options text[] NOT NULL DEFAULT '{}';
