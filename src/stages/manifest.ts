import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/duckdb.js';
import { invalidInput } from '../errors.js';
import { isDirectory, listDir, mapLimit } from '../util/files.js';
import { sha256Files, sha256Text } from '../util/sha256.js';
import { checkInputFile } from './input-files.js';
import { loadAccountDirectory } from './accounts.js';
import {
  DATASET,
  defaultVersionId,
  formatIssues,
  isoDate,
  manifestSchema,
  segmentIndexSchema,
  type InputFile,
  type Manifest,
  type SegmentEntry,
  type ShardEntry,
} from '../contract/manifest.js';
import { DEFAULT_POLICY, type Policy } from '../contract/policy.js';

export interface ManifestRequest {
  snapshot: string;
  settlementDate: string;
  inputEpoch: string;
  version?: string;
  policy?: Policy;
  opening?: Manifest['opening_version'];
  corrections?: string[];
  supersedes?: string | null;
  /** Settle a date no shard of the snapshot holds (otherwise refused). */
  allowEmpty?: boolean;
}

export interface FrozenManifest {
  manifest: Manifest;
  /** The exact bytes that were (or will be) written; their sha256 is the run's identity. */
  text: string;
  sha256: string;
  /** When this process began hashing or verifying the inputs (ms since epoch); not part of the manifest. */
  frozenAt: number;
}

const WATERMARK = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Freezes a snapshot directory into a manifest: every input file with size and sha256, every
 * shard's segment index as read, and the run's parameters. Reads no ledger rows.
 */
export async function buildManifest(db: Db, request: ManifestRequest): Promise<FrozenManifest> {
  const startedAt = clockNow();
  const dateCheck = isoDate.safeParse(request.settlementDate);
  if (!dateCheck.success)
    throw invalidInput(
      `--date ${JSON.stringify(request.settlementDate)}: ${formatIssues(dateCheck.error)}`,
      { field: 'settlement_date' },
    );
  const root = await snapshotRoot(request.snapshot);
  const version = request.version ?? defaultVersionId(request.inputEpoch);

  const accountsPath = path.join(root, 'accounts.parquet');
  if ((await lstat(accountsPath).catch(() => undefined)) === undefined) {
    throw invalidInput(`${accountsPath}: snapshot has no accounts.parquet`, { file: accountsPath });
  }
  await checkInputFile(root, 'accounts.parquet', 'account directory');
  const shardIds = await loadAccountDirectory(db, accountsPath);
  if (!request.allowEmpty) await refuseAbsentDate(root, request.settlementDate);
  const shards = await Promise.all(
    shardIds.map((id) => describeShard(root, id, request.settlementDate)),
  );
  const corrections = (request.corrections ?? []).map((c) =>
    confinedRelative(root, c, '--corrections'),
  );

  const fileRefs: Array<{ path: string; role: InputFile['role'] }> = [
    { path: 'accounts.parquet', role: 'accounts' },
  ];
  for (const shard of shards) {
    if (shard.entry.index_path !== null && shard.indexExists)
      fileRefs.push({ path: shard.entry.index_path, role: 'segment_index' });
    for (const segment of shard.entry.segments)
      if (segment.present) fileRefs.push({ path: segment.path, role: 'segment' });
  }
  for (const c of corrections) fileRefs.push({ path: c, role: 'correction' });
  const files = await describeFiles(root, fileRefs);

  const manifest: Manifest = {
    manifest_version: 1,
    dataset: DATASET,
    settlement_date: request.settlementDate,
    input_epoch: request.inputEpoch,
    snapshot_root: root,
    version,
    files,
    shards: shards.map((s) => s.entry),
    unlisted_files: shards.flatMap((s) => s.unlisted),
    policy: request.policy ?? DEFAULT_POLICY,
    opening_version: request.opening ?? null,
    corrections,
    supersedes: request.supersedes ?? null,
  };
  const checked = manifestSchema.safeParse(manifest);
  if (!checked.success) throw invalidInput(`manifest: ${formatIssues(checked.error)}`);
  return freeze(checked.data, startedAt);
}

/** Wall-clock ms rounded up, so a file written in the same millisecond never looks newer. */
function clockNow(): number {
  return Date.now() + 1;
}

export function freeze(manifest: Manifest, frozenAt = clockNow()): FrozenManifest {
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  return { manifest, text, sha256: sha256Text(text), frozenAt };
}

/**
 * Inputs must not change while a run reads them: every file still has the manifest's size, and a
 * file modified after the inputs were hashed or verified still has the manifest's sha256 (only
 * those are hashed again; a timestamp alone, e.g. one in the future, is not a change). Checked
 * before anything is staged.
 */
export async function checkInputsUnchanged(frozen: FrozenManifest): Promise<void> {
  const changed = (full: string): Error =>
    invalidInput(`${full}: input file changed while the run was reading it`, { file: full });
  const touched: Array<{ full: string; bytes: number; sha256: string }> = [];
  await mapLimit(frozen.manifest.files, 8, async (file) => {
    const full = path.join(frozen.manifest.snapshot_root, file.path);
    const info = await stat(full).catch(() => undefined);
    if (info === undefined || info.size !== file.bytes) throw changed(full);
    if (info.mtimeMs > frozen.frozenAt)
      touched.push({ full, bytes: file.bytes, sha256: file.sha256 });
  });
  const hashes = await sha256Files(touched.map((f) => ({ path: f.full, bytes: f.bytes })));
  const first = touched.find((f, i) => hashes[i] !== f.sha256);
  if (first !== undefined) throw changed(first.full);
}

/** Reads and validates a frozen manifest, then checks every input file against it. */
export async function loadManifest(manifestPath: string): Promise<FrozenManifest> {
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch {
    throw invalidInput(`${manifestPath}: manifest file cannot be read`, { file: manifestPath });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalidInput(`${manifestPath}: manifest is not valid JSON (${(err as Error).message})`, {
      file: manifestPath,
    });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success)
    throw invalidInput(`${manifestPath}: ${formatIssues(parsed.error)}`, { file: manifestPath });
  const verifiedAt = clockNow();
  await verifyInputFiles(parsed.data);
  return { manifest: parsed.data, text, sha256: sha256Text(text), frozenAt: verifiedAt };
}

/** Every input file must still have the size and sha256 the manifest froze. */
export async function verifyInputFiles(manifest: Manifest): Promise<void> {
  const changed = (full: string): Error =>
    invalidInput(
      `${full}: input file changed since the manifest was made (size or sha256 differs)`,
      { file: full },
    );
  const files = manifest.files.map((f) => ({
    ...f,
    full: path.join(manifest.snapshot_root, f.path),
  }));
  await mapLimit(files, 8, async (file) => {
    let bytes: number;
    try {
      bytes = (await stat(file.full)).size;
    } catch {
      throw invalidInput(`${file.full}: input file named by the manifest is missing`, {
        file: file.full,
      });
    }
    if (bytes !== file.bytes) throw changed(file.full);
  });
  const hashes = await sha256Files(files.map((f) => ({ path: f.full, bytes: f.bytes })));
  const first = files.find((f, i) => hashes[i] !== f.sha256);
  if (first !== undefined) throw changed(first.full);
}

async function snapshotRoot(snapshot: string): Promise<string> {
  if (!(await isDirectory(snapshot)))
    throw invalidInput(`--snapshot ${snapshot}: not a directory`, { field: 'snapshot' });
  return realpath(snapshot);
}

/**
 * A date no shard of the snapshot holds would settle to all zeros, which finance would take for a
 * quiet day: refused (naming the dates the snapshot does hold) unless --allow-empty says so.
 */
async function refuseAbsentDate(snapshot: string, date: string): Promise<void> {
  const held = new Set<string>();
  for (const shard of (await readdir(snapshot)).filter((d) => d.startsWith('shard='))) {
    const dates = await readdir(path.join(snapshot, shard)).catch(() => []);
    for (const d of dates) if (d.startsWith('date=')) held.add(d.slice('date='.length));
  }
  if (held.has(date)) return;
  const list = [...held].sort();
  const shown = list.length > 10 ? [...list.slice(0, 5), '...', ...list.slice(-5)] : list;
  throw invalidInput(
    `--date ${date}: no shard of ${snapshot} holds this date (it holds ${shown.length > 0 ? shown.join(', ') : 'no dates at all'}); pass --allow-empty to settle it as a day with no entries`,
    { field: 'date' },
  );
}

interface ShardDescription {
  entry: ShardEntry;
  indexExists: boolean;
  unlisted: string[];
}

async function describeShard(
  root: string,
  shardId: string,
  date: string,
): Promise<ShardDescription> {
  const dirRel = `shard=${shardId}/date=${date}`;
  const indexRel = `${dirRel}/_segments.json`;
  const present = await listDir(path.join(root, dirRel));
  const base: ShardEntry = {
    shard_id: shardId,
    index_path: null,
    index_status: 'missing',
    index_problem: 'no _segments.json for the date',
    replica_high_watermark: null,
    segments: [],
  };
  if (!present.includes('_segments.json')) {
    return { entry: base, indexExists: false, unlisted: present.map((f) => `${dirRel}/${f}`) };
  }
  const parsed = await readIndex(path.join(root, indexRel), shardId, date);
  const listed = new Set(parsed.segments.map((s) => s.file));
  const segments: SegmentEntry[] = parsed.segments.map((s) => ({
    ...s,
    path: `${dirRel}/${s.file}`,
    present: present.includes(s.file),
  }));
  const entry: ShardEntry = {
    ...base,
    index_path: indexRel,
    index_status: parsed.problem === null ? 'ok' : 'invalid',
    index_problem: parsed.problem,
    replica_high_watermark: parsed.watermark,
    segments: parsed.problem === null ? segments : [],
  };
  const unlisted = present
    .filter((f) => f !== '_segments.json' && (parsed.problem !== null || !listed.has(f)))
    .map((f) => `${dirRel}/${f}`);
  return { entry, indexExists: true, unlisted };
}

interface ParsedIndex {
  problem: string | null;
  watermark: string | null;
  segments: Array<{ file: string; first_seq: number; last_seq: number; row_count: number }>;
}

/** A bad index is not an error of the run: it makes its shard incomplete, with the reason kept. */
async function readIndex(indexPath: string, shardId: string, date: string): Promise<ParsedIndex> {
  const invalid = (problem: string): ParsedIndex => ({ problem, watermark: null, segments: [] });
  let json: unknown;
  try {
    json = JSON.parse(await readFile(indexPath, 'utf8'));
  } catch {
    return invalid('index is not valid JSON');
  }
  const result = segmentIndexSchema.safeParse(json);
  if (!result.success) return invalid(`index fails its schema: ${formatIssues(result.error)}`);
  const index = result.data;
  if (index.shard_id !== shardId) return invalid(`index names shard ${index.shard_id}`);
  if (index.settlement_date !== date) return invalid(`index is for date ${index.settlement_date}`);
  if (
    !WATERMARK.test(index.replica_high_watermark) ||
    Number.isNaN(Date.parse(index.replica_high_watermark))
  ) {
    return invalid('replica_high_watermark is not ISO 8601 with an offset');
  }
  let previousLast = -1;
  for (const s of index.segments) {
    if (s.first_seq > s.last_seq) return invalid(`segment ${s.file} has first_seq > last_seq`);
    if (s.first_seq <= previousLast)
      return invalid(`segment ${s.file} is out of first_seq order or overlaps its predecessor`);
    previousLast = s.last_seq;
  }
  if (new Set(index.segments.map((s) => s.file)).size !== index.segments.length)
    return invalid('index lists a file twice');
  return { problem: null, watermark: index.replica_high_watermark, segments: index.segments };
}

async function describeFiles(
  root: string,
  refs: ReadonlyArray<{ path: string; role: InputFile['role'] }>,
): Promise<InputFile[]> {
  const label: Record<InputFile['role'], string> = {
    accounts: 'account directory',
    segment_index: 'segment index',
    segment: 'listed segment',
    correction: 'correction file (--corrections)',
  };
  const sized = await mapLimit(refs, 8, async (ref) => ({
    ...ref,
    full: path.join(root, ref.path),
    bytes: await checkInputFile(root, ref.path, label[ref.role]),
  }));
  const hashes = await sha256Files(sized.map((f) => ({ path: f.full, bytes: f.bytes })));
  return sized.map((f, i) => ({
    path: f.path,
    role: f.role,
    bytes: f.bytes,
    sha256: hashes[i] as string,
  }));
}

function confinedRelative(root: string, candidate: string, field: string): string {
  const full = path.resolve(root, candidate);
  const relative = path.relative(root, full);
  if (relative.startsWith('..') || path.isAbsolute(relative) || relative === '') {
    throw invalidInput(`${field} ${candidate}: path is outside the snapshot root ${root}`, {
      field,
    });
  }
  return relative.split(path.sep).join('/');
}
