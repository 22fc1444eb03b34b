-- major_units(amount, exponent, unit): minor units as exact major-unit text, e.g. (-1234, 2, 100)
-- -> '-12.34', (5, 3, 1000) -> '0.005', (700, 0, 1) -> '700'. unit must be 10^exponent.
CREATE OR REPLACE TEMP MACRO major_units(amount, exponent, unit) AS
  CASE
    WHEN amount IS NULL THEN NULL
    WHEN exponent = 0 THEN amount::VARCHAR
    ELSE (CASE WHEN amount < 0 THEN '-' ELSE '' END)
         || (abs(amount::HUGEINT) // unit)::VARCHAR
         || '.' || lpad((abs(amount::HUGEINT) % unit)::VARCHAR, exponent, '0')
  END;
