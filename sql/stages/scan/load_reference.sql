-- Reference tables every shard task joins against: the account directory, ISO 4217 list one,
-- and the entry types of the SPEC.
-- Splices: {{accounts}} quoted path of accounts.parquet, {{iso4217}} quoted path of the shipped CSV,
-- {{entry_types}} the contract's entry types as a list literal.
-- Grain: accounts one row per account_id; iso_currencies one row per code.
CREATE OR REPLACE TEMP TABLE accounts AS
SELECT account_id::VARCHAR AS account_id, merchant_id::VARCHAR AS merchant_id,
       shard_id::VARCHAR AS shard_id, currency::VARCHAR AS currency
FROM read_parquet({{accounts}}, hive_partitioning = false);

CREATE OR REPLACE TEMP TABLE iso_currencies AS
SELECT code::VARCHAR AS code, exponent::INTEGER AS exponent
FROM read_csv({{iso4217}}, header = true, columns = {'code': 'VARCHAR', 'exponent': 'INTEGER'});

CREATE OR REPLACE TEMP TABLE entry_types AS
SELECT unnest({{entry_types}}) AS entry_type;

CREATE OR REPLACE TEMP TABLE known_entry_ids (entry_id VARCHAR);
