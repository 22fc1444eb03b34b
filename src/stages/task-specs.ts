import { createHash } from 'node:crypto';
import type { ShuffleSettings } from './partitioning.js';

/**
 * The tasks of a run, as data: a task is a pure function of the run's manifest, its spec and the
 * committed outputs of the tasks its spec names, so any process that sees the run directory can
 * execute it (in process, or a worker of the queue). Task ids are derived from the spec, so the
 * same run always plans the same ids, and a committed id is never run twice.
 */
export interface ScanSpec {
  kind: 'scan';
  id: string;
  /** Shards read by this task (small shards share a task). */
  shards: string[];
  /** Segment files found to hold two different rows with one entry_id: excluded (a rescan). */
  excluded: string[];
  shuffle: ShuffleSettings;
}

/** The run's entry-id uniqueness check (it reads only the manifest's segments). */
export interface IdsSpec {
  kind: 'ids';
  id: string;
}

export interface CorrectionsSpec {
  kind: 'corrections';
  id: string;
  shuffle: ShuffleSettings;
  /** Complete ledger segments (relative paths): entry ids a correction may not repeat. */
  completeFiles: string[];
}

export interface ReduceSpec {
  kind: 'reduce';
  id: string;
  part: number;
  shuffle: ShuffleSettings;
  /** Scan (and corrections) tasks whose partitioned outputs it reads. */
  inputs: string[];
}

export type TaskSpec = ScanSpec | IdsSpec | CorrectionsSpec | ReduceSpec;

export function layoutName(shuffle: ShuffleSettings): string {
  return `p${shuffle.partitions}-s${shuffle.salts}`;
}

/** A short, stable digest of the inputs a task id depends on. */
function digest(values: readonly string[]): string {
  return createHash('sha256').update(values.join('\n')).digest('hex').slice(0, 10);
}

export function scanSpec(
  shards: string[],
  shuffle: ShuffleSettings,
  excluded: string[] = [],
): ScanSpec {
  const span = shards.length === 1 ? shards[0] : `${shards[0]}..${shards.at(-1)}`;
  const rescan = excluded.length > 0 ? `-x${digest(excluded)}` : '';
  return {
    kind: 'scan',
    id: `scan-${span}${rescan}-${layoutName(shuffle)}`,
    shards,
    excluded,
    shuffle,
  };
}

export const idsSpec: IdsSpec = { kind: 'ids', id: 'entry-ids' };

export function correctionsSpec(
  shuffle: ShuffleSettings,
  completeFiles: string[],
): CorrectionsSpec {
  return {
    kind: 'corrections',
    id: `corrections-${layoutName(shuffle)}-${digest(completeFiles)}`,
    shuffle,
    completeFiles,
  };
}

export function reduceSpec(part: number, shuffle: ShuffleSettings, inputs: string[]): ReduceSpec {
  return {
    kind: 'reduce',
    id: `reduce-${part}-${layoutName(shuffle)}-${digest(inputs)}`,
    part,
    shuffle,
    inputs,
  };
}
