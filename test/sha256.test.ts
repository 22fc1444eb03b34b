import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Files, sha256OnWorkers } from '../src/util/sha256.js';
import { tempDir } from './util/snapshot.js';

async function files(): Promise<Array<{ path: string; content: Buffer }>> {
  const dir = await tempDir();
  const contents = [
    Buffer.alloc(0),
    randomBytes(3 * 2 ** 20 + 17),
    Buffer.from('ledger\n'),
    randomBytes(1000),
  ];
  return Promise.all(
    contents.map(async (content, i) => {
      const file = path.join(dir, `f${i}.bin`);
      await writeFile(file, content);
      return { path: file, content };
    }),
  );
}

const expected = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

describe('sha256 of input files', () => {
  it('worker threads give the same digests as a direct hash, in input order', async () => {
    const inputs = await files();
    const want = inputs.map((f) => expected(f.content));
    expect(
      await sha256OnWorkers(
        inputs.map((f) => f.path),
        2,
      ),
    ).toEqual(want);
    expect(
      await sha256OnWorkers(
        inputs.map((f) => f.path),
        3,
      ),
    ).toEqual(want);
    expect(
      await sha256Files(inputs.map((f) => ({ path: f.path, bytes: f.content.length }))),
    ).toEqual(want);
  });

  it('a file that cannot be read fails with its errno code', async () => {
    const inputs = await files();
    const paths = [inputs[0]!.path, path.join(path.dirname(inputs[0]!.path), 'missing.bin')];
    await expect(sha256OnWorkers(paths, 2)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
