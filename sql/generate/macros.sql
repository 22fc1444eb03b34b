-- gen_draw: the generator's one source of randomness, a 64-bit draw per (seed, scope, key, tag).
-- hash(a, b, c, tag) alone XORs the tag's hash in last, so draws of one key under different tags
-- differ by a constant and their low bits move together (an account picked by `% 2k` would see
-- only half of its `% 14` customers); hashing the combined hash again mixes every bit.
-- Grain: scalar macro.
CREATE OR REPLACE TEMP MACRO gen_draw(seed, scope, key, tag) AS hash(hash(seed, scope, key, tag));
