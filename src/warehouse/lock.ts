import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

interface LockOwner {
  pid: number;
  token: string;
  since: string;
}

/**
 * An exclusive lock file (O_EXCL) naming its owner (pid and a unique token). A lock whose owner is
 * no longer alive on this machine is stale and is broken (see breakStaleLock); a live owner is
 * waited for. Release removes the lock only while it still carries our token.
 */
export async function withLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  timeoutMs = 120_000,
): Promise<T> {
  await mkdir(path.dirname(lockPath), { recursive: true });
  const owner: LockOwner = {
    pid: process.pid,
    token: randomUUID(),
    since: new Date().toISOString(),
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await tryAcquire(lockPath, owner))) {
    const current = await readOwner(lockPath);
    if (current !== undefined && !isAlive(current.pid)) {
      await breakStaleLock(lockPath, current);
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for the publish lock ${lockPath}`);
    await sleep(50);
  }
  try {
    return await fn();
  } finally {
    if ((await readOwner(lockPath))?.token === owner.token) await rm(lockPath, { force: true });
  }
}

async function tryAcquire(lockPath: string, owner: LockOwner): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await handle.writeFile(JSON.stringify(owner));
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/** The lock's owner; a file that stays unreadable (its writer died mid-write) has a dead owner. */
async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return JSON.parse(await readFile(lockPath, 'utf8')) as LockOwner;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      await sleep(200);
    }
  }
  return { pid: -1, token: 'unreadable', since: '' };
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Stale locks are broken under a second, short-lived lock: a breaker re-reads the owner while it
 * holds `<lock>.break` and removes the lock only if it still names the dead owner it judged. A
 * fresh lock can only appear after that removal, so it is never removed by mistake.
 */
async function breakStaleLock(lockPath: string, stale: LockOwner): Promise<void> {
  const breakPath = `${lockPath}.break`;
  let handle;
  try {
    handle = await open(breakPath, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // A breaker that died inside its few statements leaves the file behind: expire it.
    const age =
      Date.now() -
      (await stat(breakPath)
        .then((i) => i.mtimeMs)
        .catch(() => Date.now()));
    if (age > BREAK_EXPIRY_MS) await rm(breakPath, { force: true });
    return;
  }
  try {
    const current = await readOwner(lockPath);
    if (current !== undefined && current.token === stale.token) await rm(lockPath, { force: true });
  } finally {
    await handle.close();
    await rm(breakPath, { force: true });
  }
}

const BREAK_EXPIRY_MS = 5_000;
