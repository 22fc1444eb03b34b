import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setEnv } from '../util/env.js';
import {
  ONE_TASK_PER_SHARD,
  crashAndRecover,
  crashFixture,
  crashPoints,
  timedRun,
  type CrashFixture,
} from '../util/crash-scenarios.js';

/**
 * `npm run test:faults`: every named crash point plus 40 kills at pseudo-random times across the
 * run (fixed seed, so a failure can be replayed). vitest's summary prints how many passed.
 */
let fixture: CrashFixture;
let baselineMs = 0;
let restoreEnv = (): void => {};
beforeAll(async () => {
  restoreEnv = setEnv(ONE_TASK_PER_SHARD);
  fixture = await crashFixture(60_000);
  // The fastest of three runs: a kill timed from one slow run could land after a fast run ends.
  const runs = [await timedRun(fixture), await timedRun(fixture), await timedRun(fixture)];
  baselineMs = Math.min(...runs);
}, 300_000);
afterAll(() => restoreEnv());

function* pseudoRandom(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2147483648;
    yield x / 2147483648;
  }
}

describe('kill catalogue', () => {
  for (const point of crashPoints) {
    it(`crash point ${point}`, async () => {
      const outcome = await crashAndRecover(fixture, { point });
      expect(outcome.killed).toBe(true);
      expect(outcome.problemsAfterKill).toEqual([]);
      expect(outcome.rerunCode).toBe(0);
      expect(outcome.rerunChecksum).toBe(fixture.baselineChecksum);
      expect(outcome.problemsAfterRerun).toEqual([]);
    });
  }

  const random = pseudoRandom(20261129);
  for (let i = 0; i < 40; i++) {
    const fraction = random.next().value as number;
    it(`random kill #${i + 1} at ${(fraction * 100).toFixed(0)}% of a run`, async () => {
      // Within 80% of the fastest uninterrupted run, so the kill lands while it runs.
      const outcome = await crashAndRecover(fixture, {
        afterMs: Math.round(fraction * baselineMs * 0.8),
      });
      expect(outcome.killed, 'the run finished before the kill').toBe(true);
      expect(outcome.problemsAfterKill).toEqual([]);
      expect(outcome.rerunCode).toBe(0);
      expect(outcome.rerunChecksum).toBe(fixture.baselineChecksum);
      expect(outcome.problemsAfterRerun).toEqual([]);
    });
  }
});
