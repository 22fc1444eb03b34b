// The shipped build: esbuild bundles the CLI (src/bin/settle.ts) and the modules it imports,
// pure-JavaScript dependencies included, into dist/bin/ (types are checked by `npm run typecheck`,
// which CI runs before the tests); then the code hash is recorded in dist/code-hash.json.
// One bundle instead of ~400 modules (ours, zod's, the engine API's) starts a process in a
// fraction of the time, and every `settle` command and spawned test pays that start.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

// A module deleted from src/ must not live on in dist/.
rmSync(dist, { recursive: true, force: true });
await build({
  // The code hash module is an entry of its own so that this script can run it below.
  entryPoints: [path.join(root, 'src/bin/settle.ts'), path.join(root, 'src/util/code-hash.ts')],
  outdir: path.join(dist, 'bin'),
  entryNames: '[name]',
  bundle: true,
  // Lazily imported commands (serve, worker, xlsx, queue) stay in chunks of their own.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Kept as installed packages: the native engine binding (it loads a platform package), and the
  // two heavy libraries only some commands load (BullMQ and its Redis client, exceljs).
  external: ['@duckdb/node-bindings', 'bullmq', 'exceljs'],
  // Bundled CommonJS dependencies call require().
  banner: {
    js: "import { createRequire as __settleCreateRequire } from 'node:module'; const require = __settleCreateRequire(import.meta.url);",
  },
});
const { writeCodeHash } = await import(path.join(dist, 'bin', 'code-hash.js'));
writeCodeHash();
