-- 013: skills (docs/import.md, docs/nightly.md). What a collection point
-- or an order requires of the vehicle (a cold van, a tail lift) and what a
-- courier's vehicle has: skill names as pkg/skills checks them (1 to 32 of
-- a-z 0-9 _ -, at most 8 a row), sorted and without repeats. An empty
-- array, the default, is no requirement / no feature. ADD COLUMN with a
-- constant default rewrites no table, and a COPY of orders without skills
-- only pays the CHECK's cardinality test (the function is not called).
CREATE FUNCTION vc_skills_valid(s text[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT cardinality(s) <= 8 AND array_position(s, NULL) IS NULL
           AND array_to_string(s, ';') ~ '^[a-z0-9_-]{1,32}(;[a-z0-9_-]{1,32})*$' $$;

ALTER TABLE points ADD COLUMN skills text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(skills) = 0 OR vc_skills_valid(skills));
ALTER TABLE orders ADD COLUMN skills text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(skills) = 0 OR vc_skills_valid(skills));
ALTER TABLE couriers ADD COLUMN skills text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(skills) = 0 OR vc_skills_valid(skills));
