-- Reference tables every shard task joins against besides the accounts: ISO 4217 list one and
-- the entry types of the SPEC.
-- Splices: {{iso4217}} the shipped list as a VALUES table (contract/iso4217.ts), {{entry_types}}
-- the contract's entry types as a list literal. Grain: iso_currencies one row per code.

CREATE OR REPLACE TEMP TABLE iso_currencies AS
SELECT code::VARCHAR AS code, exponent::INTEGER AS exponent
FROM {{iso4217}};

CREATE OR REPLACE TEMP TABLE entry_types AS
SELECT unnest({{entry_types}}) AS entry_type;

