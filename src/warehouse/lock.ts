import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * An exclusive lock file (O_EXCL) holding the owner's pid. A lock whose owner is no longer alive
 * on this machine is stale and is taken over; a live owner is waited for.
 */
export async function withLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  timeoutMs = 120_000,
): Promise<T> {
  await mkdir(path.dirname(lockPath), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await isStale(lockPath)) {
        await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for the publish lock ${lockPath}`);
      await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function isStale(lockPath: string): Promise<boolean> {
  let pid: number;
  try {
    pid = (JSON.parse(await readFile(lockPath, 'utf8')) as { pid: number }).pid;
  } catch {
    // Unreadable or half-written: its writer may be between open and write; only a lock that stays
    // unreadable is stale, so look again shortly.
    await sleep(200);
    try {
      pid = (JSON.parse(await readFile(lockPath, 'utf8')) as { pid: number }).pid;
    } catch {
      return true;
    }
  }
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
