import path from 'node:path';
import { writeCatalogFile } from './catalog.js';
import type { WarehouseLayout } from './layout.js';
import { writeHistoryCopy, type Pointer } from './versions.js';

/**
 * The files derived from the pointers: the date's `_history.jsonl` and the warehouse catalog.sql.
 * Written after a pointer move; a failure (a full disk) is reported, not thrown, since `CURRENT`
 * has already moved and every later pointer move rewrites both from scratch.
 */
export async function rewriteDerived(
  layout: WarehouseLayout,
  settlementDate: string,
  pointer: Pointer,
): Promise<string[]> {
  const warnings: string[] = [];
  const attempt = async (what: string, write: () => Promise<unknown>): Promise<void> => {
    try {
      await write();
    } catch (err) {
      warnings.push(
        `${what} not rewritten (${(err as Error).message.split('\n')[0]}); CURRENT has moved, and the next publish or rollback rewrites it`,
      );
    }
  };
  await attempt(layout.history(settlementDate), () =>
    writeHistoryCopy(layout, settlementDate, pointer),
  );
  await attempt(path.join(layout.root, 'catalog.sql'), () => writeCatalogFile(layout));
  return warnings;
}
