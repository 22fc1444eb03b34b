#!/usr/bin/env node
import { main } from '../cli.js';

// A reader that went away (`settle export --out - | head`) ends the command the way Unix tools
// end on SIGPIPE: quietly, status 141 (128 + SIGPIPE), instead of a stack trace about EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(141);
  process.stderr.write(`settle: cannot write to stdout (${err.code ?? err.message})\n`);
  process.exit(1);
});

process.exitCode = await main(process.argv.slice(2));
// The command has ended and returned its exit code. A library that left a timer behind (a queue
// client that could not close cleanly after its server went away) must not keep the process.
setTimeout(() => process.exit(), 2_000).unref();
