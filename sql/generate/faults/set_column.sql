-- reject_rows: one column of the row at $seq set to $value (NULL allowed).
-- Splices: {{column}} quoted identifier, {{type}} its SQL type.
UPDATE seg SET {{column}} = $value::{{type}} WHERE seq = $seq;
