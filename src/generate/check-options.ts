import { invalidInput } from '../errors.js';

import { faultNames, type GenerateOptions } from './types.js';

/** Largest values the id formats allow: shard "00".."99", merchant "M000000".., customer "C000000000".. */
const limits = { shards: 100, merchants: 1_000_000, customers: 1_000_000_000 } as const;

function checkInt(field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalidInput(`--${field} ${value}: expected an integer in [${min}, ${max}]`, { field });
  }
}

/** Every option a caller (CLI or test) can get wrong, as one clear error naming the flag. */
export function checkGenerateOptions(options: GenerateOptions): void {
  if (options.out.trim() === '')
    throw invalidInput('--out: give a snapshot directory', { field: 'out' });
  checkInt('shards', options.shards, 1, limits.shards);
  checkInt('merchants', options.merchants, 1, limits.merchants);
  checkInt('entries', options.entries, 0);
  checkInt('seed', options.seed, 0, 2 ** 31 - 1);
  if (options.customers !== undefined)
    checkInt('customers', options.customers, 1, limits.customers);
  if (options.segmentRows !== undefined) checkInt('segment-rows', options.segmentRows, 1);
  if (!(options.skew >= 0 && options.skew < 1))
    throw invalidInput(`--skew ${options.skew}: expected a share in [0, 1)`, { field: 'skew' });
  if (options.currencies.length === 0)
    throw invalidInput('--currencies: give at least one ISO 4217 code', { field: 'currencies' });
  for (const code of options.currencies) {
    if (!/^[A-Z]{3}$/.test(code))
      throw invalidInput(
        `--currencies: ${JSON.stringify(code)} is not an ISO 4217 alphabetic code`,
        { field: 'currencies' },
      );
  }
  if (new Set(options.currencies).size !== options.currencies.length)
    throw invalidInput(`--currencies: ${options.currencies.join(',')} repeats a code`, {
      field: 'currencies',
    });
  const midnight = /^\d{4}-\d{2}-\d{2}$/.test(options.date)
    ? Date.parse(`${options.date}T00:00:00Z`)
    : Number.NaN;
  if (Number.isNaN(midnight) || new Date(midnight).toISOString().slice(0, 10) !== options.date) {
    throw invalidInput(`--date ${JSON.stringify(options.date)} is not a date (YYYY-MM-DD)`, {
      field: 'date',
    });
  }
  for (const fault of options.faults) {
    if (!(faultNames as readonly string[]).includes(fault)) {
      throw invalidInput(
        `--faults: unknown fault ${JSON.stringify(fault)} (known: ${faultNames.join(', ')})`,
        { field: 'faults' },
      );
    }
  }
}
