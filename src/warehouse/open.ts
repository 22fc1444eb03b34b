import { stat } from 'node:fs/promises';
import { invalidInput } from '../errors.js';
import { WarehouseLayout } from './layout.js';
import { listDates, readPointer, readSuccess } from './versions.js';

/**
 * The warehouse a read command answers from: it must exist as a directory, and every date's
 * `CURRENT` must parse and name a published version. Anything else is exit 2 naming the path:
 * a read never answers "nothing" from a warehouse that is missing or damaged.
 */
export async function openWarehouseForRead(option: string | undefined): Promise<WarehouseLayout> {
  const layout = WarehouseLayout.fromOption(option);
  const info = await stat(layout.root).catch(() => undefined);
  if (info === undefined)
    throw invalidInput(`--warehouse ${layout.root}: no warehouse there (the path does not exist)`, {
      field: 'warehouse',
    });
  if (!info.isDirectory())
    throw invalidInput(`--warehouse ${layout.root}: is a file, not a warehouse directory`, {
      field: 'warehouse',
    });
  await checkPointers(layout);
  return layout;
}

/** Every date's CURRENT parses and names a published version; exit 2 naming the first that does not. */
async function checkPointers(layout: WarehouseLayout): Promise<void> {
  for (const date of await listDates(layout)) {
    const pointer = await readPointer(layout, date);
    if (pointer === undefined) continue;
    const marker = await readSuccess(layout, date, pointer.version);
    if (marker === undefined)
      throw invalidInput(
        `${layout.pointer(date)}: CURRENT names ${pointer.version}, which is not a published version (no _SUCCESS)`,
        { file: layout.pointer(date) },
      );
  }
}

/** The warehouse a run publishes into: created when missing, refused when the path is a file. */
export async function openWarehouseForWrite(option: string | undefined): Promise<WarehouseLayout> {
  const layout = WarehouseLayout.fromOption(option);
  const info = await stat(layout.root).catch(() => undefined);
  if (info !== undefined && !info.isDirectory())
    throw invalidInput(`--warehouse ${layout.root}: is a file, not a warehouse directory`, {
      field: 'warehouse',
    });
  if (info !== undefined) await checkPointers(layout);
  return layout;
}
