import { Command, CommanderError } from 'commander';
import { registerGenerateCommand } from './commands/generate.js';
import { registerRunCommand } from './commands/run.js';
import { registerExportCommand } from './commands/export.js';
import { registerSqlCommand } from './commands/sql.js';
import { registerVersionsCommand } from './commands/versions.js';
import { registerVerifyCommand } from './commands/verify.js';
import { registerDiffCommand } from './commands/diff.js';
import { registerRollbackCommand } from './commands/rollback.js';
import { registerServeCommand } from './commands/serve.js';
import { printErr, reportError } from './commands/output.js';
import { ExitCode, type ExitCodeValue } from './errors.js';

/** Builds the `settle` program: commander wiring only. */
export function createCli(): Command {
  const program = new Command('settle')
    .description('settlement pipeline: sharded payment ledger -> reconciled, versioned dataset')
    .option('--verbose', 'print stack traces of internal errors')
    .exitOverride()
    .configureOutput({ writeErr: (text) => printErr(text.trimEnd()) });
  registerRunCommand(program);
  registerExportCommand(program);
  registerSqlCommand(program);
  registerVersionsCommand(program);
  registerVerifyCommand(program);
  registerDiffCommand(program);
  registerRollbackCommand(program);
  registerGenerateCommand(program);
  registerServeCommand(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI and returns the exit code; the only place an error becomes an exit code. */
export async function main(argv: string[]): Promise<ExitCodeValue> {
  const program = createCli();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.invalidInput;
    }
    const verbose = argv.includes('--verbose') || Boolean(process.env['DEBUG']);
    return reportError(err, { json: argv.includes('--json'), verbose });
  }
}
