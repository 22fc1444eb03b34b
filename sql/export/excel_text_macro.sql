-- excel_text(value): text a spreadsheet will not read as a formula (OWASP "CSV injection"): a
-- value starting with =, +, -, @, TAB or CR gets a leading single quote, which spreadsheets show
-- as text and do not evaluate. NULL stays NULL, every other value is unchanged. Applied to text
-- columns only: numbers (counts, money, a negative amount) are never formulas.
CREATE OR REPLACE TEMP MACRO excel_text(value) AS
  CASE
    WHEN left(value, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || value
    ELSE value
  END;
