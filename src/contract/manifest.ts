import { z } from 'zod';
import { invalidInput } from '../errors.js';
import { policySchema } from './policy.js';

export const DATASET = 'merchant_settlement_summary';

/** A path relative to the snapshot root that cannot leave it. */
export const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.includes('\\') && !p.split('/').includes('..'), {
    message: 'path must be relative to the snapshot root and stay inside it',
  });

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
      new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    {
      message: 'not a calendar date',
    },
  );

/**
 * Version ids name directories: letters, digits, dot, dash, underscore only, at most 128
 * characters (a directory name may hold 255 bytes, and a set-aside copy adds a suffix).
 */
export const versionId = z
  .string()
  .regex(/^v[0-9A-Za-z._-]*[0-9A-Za-z]$/, 'expected a version id like v7811 or v7811.1')
  .max(128, 'a version id has at most 128 characters');

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex sha256');
const seqNumber = z.number().int().nonnegative();

export const inputFile = z.object({
  path: relativePath,
  role: z.enum(['accounts', 'segment_index', 'segment', 'correction']),
  bytes: z.number().int().nonnegative(),
  sha256,
});

export const segmentEntry = z.object({
  file: z.string().min(1),
  path: relativePath,
  first_seq: seqNumber,
  last_seq: seqNumber,
  row_count: seqNumber,
  present: z.boolean(),
});

export const shardEntry = z.object({
  shard_id: z.string().min(1),
  index_path: relativePath.nullable(),
  /** ok | missing | invalid (cannot be parsed, unsorted or overlapping): not ok excludes every segment. */
  index_status: z.enum(['ok', 'missing', 'invalid']),
  index_problem: z.string().nullable(),
  replica_high_watermark: z.string().nullable(),
  segments: z.array(segmentEntry),
});

export const openingSchema = z.object({
  version: versionId,
  settlement_date: isoDate,
  content_checksum: sha256,
});

export const manifestSchema = z.object({
  manifest_version: z.literal(1),
  dataset: z.literal(DATASET),
  settlement_date: isoDate,
  input_epoch: z.string().regex(/\d/, 'input_epoch must contain digits'),
  snapshot_root: z.string().min(1),
  version: versionId,
  files: z.array(inputFile),
  shards: z.array(shardEntry),
  unlisted_files: z.array(relativePath),
  policy: policySchema,
  opening_version: openingSchema.nullable(),
  corrections: z.array(relativePath),
  supersedes: versionId.nullable(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ShardEntry = z.infer<typeof shardEntry>;
export type SegmentEntry = z.infer<typeof segmentEntry>;
export type InputFile = z.infer<typeof inputFile>;

/** The index file a shard exports; parsed leniently into problems rather than thrown. */
export const segmentIndexSchema = z.object({
  shard_id: z.string(),
  settlement_date: z.string(),
  replica_high_watermark: z.string(),
  segments: z.array(
    z.object({
      file: z
        .string()
        .regex(/^[^/\\]+$/, 'segment file must be a plain file name')
        .refine((f) => f !== '..' && f !== '.'),
      first_seq: seqNumber,
      last_seq: seqNumber,
      row_count: seqNumber,
    }),
  ),
});

/** Formats zod issues as `dotted.path: message`, the way the CLI reports them. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** `ledger-snapshot-7811` → `v7811`: the default version id of a run (SPEC section 5). */
export function defaultVersionId(inputEpoch: string): string {
  const digits = inputEpoch.replace(/\D/g, '');
  if (digits === '')
    throw invalidInput(`--epoch ${JSON.stringify(inputEpoch)} has no digits`, {
      field: 'input_epoch',
    });
  return `v${digits}`;
}
