import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ONE_TASK_PER_SHARD,
  crashAndRecover,
  crashFixture,
  type CrashFixture,
} from './util/crash-scenarios.js';
import { setEnv } from './util/env.js';

/** A handful of real SIGKILLs for CI; `npm run test:faults` runs the full catalogue (50+ kills). */
const ciPoints = [
  'task-committed:scan-00-*',
  'task-written:reduce-0-p4-s4-*',
  'publish:renamed',
  'atomic-write:CURRENT',
  'publish:success-written',
];

let fixture: CrashFixture;
let restoreEnv = (): void => {};
beforeAll(async () => {
  restoreEnv = setEnv(ONE_TASK_PER_SHARD);
  fixture = await crashFixture();
});
afterAll(() => restoreEnv());

describe('crash safety: SIGKILL at stage boundaries and inside publish writes', () => {
  for (const point of ciPoints) {
    it(`killed at ${point}: the old truth or the complete new one, and the rerun publishes the same checksum`, async () => {
      const outcome = await crashAndRecover(fixture, { point });
      expect(outcome.killed).toBe(true);
      expect(outcome.problemsAfterKill).toEqual([]);
      expect(outcome.currentAfterKill).toBeDefined();
      expect(outcome.rerunCode).toBe(0);
      expect(outcome.rerunChecksum).toBe(fixture.baselineChecksum);
      expect(outcome.problemsAfterRerun).toEqual([]);
    });
  }
});
