import { z } from 'zod';

/** The settlement policy a manifest pins (SPEC section 4 defaults). */
export const policySchema = z.object({
  min_charges: z.number().int().nonnegative(),
  chargeback_ratio_bps: z.number().int().nonnegative(),
  max_reject_ratio_bps: z.number().int().nonnegative(),
  require_complete_books: z.boolean(),
});

export type Policy = z.infer<typeof policySchema>;

export const DEFAULT_POLICY: Policy = {
  min_charges: 20,
  chargeback_ratio_bps: 100,
  max_reject_ratio_bps: 100,
  require_complete_books: false,
};
