#!/usr/bin/env node
import { main } from '../cli.js';

process.exitCode = await main(process.argv.slice(2));
// The command has ended and returned its exit code. A library that left a timer behind (a queue
// client that could not close cleanly after its server went away) must not keep the process.
setTimeout(() => process.exit(), 2_000).unref();
