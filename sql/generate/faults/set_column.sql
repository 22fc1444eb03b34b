-- reject_rows: one column of the row at $seq set to $value (NULL allowed).
-- Params: $value, $seq. Splices: {{column}} quoted identifier, {{type}} its SQL type.
-- Tables: seg. Grain: updates one row.
UPDATE seg SET {{column}} = $value::{{type}} WHERE seq = $seq;
