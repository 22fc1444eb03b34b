import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { configSchema, type SettleConfig } from '../contract/config.js';
import { formatIssues } from '../contract/manifest.js';
import { DEFAULT_POLICY, type Policy } from '../contract/policy.js';
import { invalidInput } from '../errors.js';

export const DEFAULT_CONFIG_FILE = 'settle.config.json';

/**
 * The config file named by --config, else ./settle.config.json when it exists, else none.
 * A file that exists but does not parse or validate is exit 2 naming it and the field.
 */
export async function loadConfig(option: string | undefined): Promise<SettleConfig> {
  const file = path.resolve(option ?? DEFAULT_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (option === undefined && (err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw invalidInput(`--config ${file}: cannot be read`, { file, field: 'config' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalidInput(`${file}: not valid JSON (${(err as Error).message})`, { file });
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) throw invalidInput(`${file}: ${formatIssues(parsed.error)}`, { file });
  return parsed.data;
}

export interface PolicyFlags {
  minCharges?: number;
  chargebackRatioBps?: number;
  maxRejectRatioBps?: number;
  requireCompleteBooks?: boolean;
}

/** The policy of a run: SPEC defaults, then the config file, then flags. */
export function resolvePolicy(config: SettleConfig, flags: PolicyFlags): Policy {
  const fromFlags: Partial<Policy> = {
    min_charges: flags.minCharges,
    chargeback_ratio_bps: flags.chargebackRatioBps,
    max_reject_ratio_bps: flags.maxRejectRatioBps,
    require_complete_books: flags.requireCompleteBooks,
  };
  const defined = Object.fromEntries(Object.entries(fromFlags).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_POLICY, ...config.policy, ...defined };
}

/** True when any policy flag was given (a frozen manifest cannot take them). */
export function hasPolicyFlags(flags: PolicyFlags): boolean {
  const { minCharges, chargebackRatioBps, maxRejectRatioBps, requireCompleteBooks } = flags;
  return [minCharges, chargebackRatioBps, maxRejectRatioBps, requireCompleteBooks].some(
    (v) => v !== undefined,
  );
}
