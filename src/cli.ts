import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerGenerateCommand } from './commands/generate.js';
import { registerRunCommand } from './commands/run.js';
import { registerExportCommand } from './commands/export.js';
import { registerSqlCommand } from './commands/sql.js';
import { registerVersionsCommand } from './commands/versions.js';
import { registerVerifyCommand } from './commands/verify.js';
import { registerDiffCommand } from './commands/diff.js';
import { registerRollbackCommand } from './commands/rollback.js';
import { registerWorkerCommand } from './commands/worker.js';
import { registerServeCommand } from './commands/serve.js';
import { registerReportCommand } from './commands/report.js';
import { printErr, processIo, reportError, withIo, writeOut, type Io } from './commands/output.js';
import { ExitCode, invalidInput, type ExitCodeValue } from './errors.js';
import { packageRoot } from './util/package-root.js';

/** The version in package.json (the CLI ships with it). */
function packageVersion(): string {
  const file = path.join(packageRoot, 'package.json');
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Builds the `settle` program: commander wiring only. */
export function createCli(): Command {
  const program = new Command('settle')
    .description('settlement pipeline: sharded payment ledger -> reconciled, versioned dataset')
    // Program options only before the command: `settle export --version V` is export's option.
    .enablePositionalOptions()
    .version(packageVersion(), '--version', 'print the version of settle')
    .option('--verbose', 'print stack traces of internal errors')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => writeOut(text),
      writeErr: (text) => printErr(text.trimEnd()),
      // Usage errors are reported by main(), through the one error path.
      outputError: () => undefined,
    });
  registerRunCommand(program);
  registerExportCommand(program);
  registerSqlCommand(program);
  registerVersionsCommand(program);
  registerVerifyCommand(program);
  registerDiffCommand(program);
  registerRollbackCommand(program);
  registerGenerateCommand(program);
  registerWorkerCommand(program);
  registerServeCommand(program);
  registerReportCommand(program);
  for (const command of program.commands)
    command
      .option('--verbose', 'print stack traces of internal errors')
      .exitOverride()
      .configureOutput(program.configureOutput());
  return program;
}

/**
 * Runs the CLI and returns the exit code; the only place an error becomes an exit code. Output
 * goes to `io` (the process streams unless a test captures them).
 */
export function main(argv: string[], io: Io = processIo): Promise<ExitCodeValue> {
  return withIo(io, async () => {
    const program = createCli();
    try {
      await program.parseAsync(argv, { from: 'user' });
      return ExitCode.ok;
    } catch (err) {
      if (err instanceof CommanderError && err.exitCode === 0) return ExitCode.ok;
      const usage =
        err instanceof CommanderError
          ? invalidInput(err.message.replace(/^error: /, ''), { field: err.code })
          : err;
      const verbose = argv.includes('--verbose') || Boolean(process.env['DEBUG']);
      return reportError(usage, { json: argv.includes('--json'), verbose });
    }
  });
}
