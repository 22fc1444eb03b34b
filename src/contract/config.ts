import { z } from 'zod';
import { policySchema } from './policy.js';

/**
 * `settle.config.json`: the settlement policy an operator would otherwise repeat on every run.
 * Flags win over the file; the policy a run used is recorded in its manifest.
 */
export const configSchema = z
  .object({
    policy: policySchema.partial().strict().optional(),
  })
  .strict();

export type SettleConfig = z.infer<typeof configSchema>;
