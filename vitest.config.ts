import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest (measured; most of their time waits on child processes, Redis or
 * a browser) start first, so that on a clean clone, where vitest has no timings cached yet, none
 * of them is left to run alone at the end. The others follow in vitest's own order.
 */
const LONGEST_FIRST = [
  'test/queue.test.ts',
  'test/crash.test.ts',
  'test/concurrency.test.ts',
  'test/trust.test.ts',
  'test/validation-rules.test.ts',
  'test/bad-inputs.test.ts',
  'test/progress.test.ts',
  'test/history.test.ts',
  'test/full-disk.test.ts',
  'test/serve-cli.test.ts',
  'test/cli.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification): number => {
      const i = LONGEST_FIRST.findIndex((name) => spec.moduleId.endsWith(name));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    const rest = await super.sort(files);
    return rest
      .map((spec, order) => ({ spec, order }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.order - b.order)
      .map(({ spec }) => spec);
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    isolate: false,
    maxWorkers: 3,
    sequence: { sequencer: LongestFirst },
    // Three test files at once on two cores (most files spend part of their time waiting on child
    // processes, Redis or a browser); one DuckDB thread per engine keeps them from oversubscribing
    // the cores: 25% less CPU for the suite (the fixture and checksum tests still use two).
    env: { TZ: 'UTC', SETTLE_THREADS: '1' },
  },
});
