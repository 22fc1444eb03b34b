import type { Command } from 'commander';
import { invalidInput } from '../errors.js';
import { isDirectory } from '../util/files.js';
import { WarehouseLayout } from '../warehouse/layout.js';
import { nonNegativeInt } from './options.js';
import { printErr, printOut } from './output.js';

interface ServeFlags {
  warehouse?: string;
  host: string;
  port: number;
  tokenFile?: string;
  json?: boolean;
}

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

/** Resolves on the first SIGTERM or SIGINT. */
function shutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string): void => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(signal);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'the merchant-operations dashboard and its read-only JSON API over published versions',
    )
    .option('--warehouse <dir>', 'warehouse root (default $SETTLE_WAREHOUSE or ./warehouse)')
    .option('--host <host>', 'address to bind (not loopback: needs --token-file)', '127.0.0.1')
    .option('--port <port>', 'port, 0 for any free one', nonNegativeInt, 8080)
    .option('--token-file <file>', 'every request must carry Authorization: Bearer <its token>')
    .option('--json', 'print {"url": ...} as the first line')
    .addHelpText(
      'after',
      `\nExamples:\n  settle serve                       (http://127.0.0.1:8080/)\n  settle serve --port 0 --json       (any free port; first line {"url": ...})\n  settle serve --host 0.0.0.0 --port 8443 --token-file /etc/settle/token\n`,
    )
    .action(async (flags: ServeFlags) => {
      if (flags.port > 65535) throw invalidInput(`--port ${flags.port}: expected 0 to 65535`);
      if (!isLoopback(flags.host) && flags.tokenFile === undefined)
        throw invalidInput(
          `--host ${flags.host} is not a loopback address: give --token-file so that every request needs a bearer token`,
          { field: 'host' },
        );
      // The server's modules (hono, the version loader) load only for this command.
      const { readTokenFile } = await import('../serve/auth.js');
      const { startServer } = await import('../serve/server.js');
      const token =
        flags.tokenFile === undefined ? undefined : await readTokenFile(flags.tokenFile);
      const layout = WarehouseLayout.fromOption(flags.warehouse);
      if (!(await isDirectory(layout.root)))
        throw invalidInput(`warehouse ${layout.root} does not exist`, { field: 'warehouse' });
      const server = await startServer({ layout, host: flags.host, port: flags.port, token });
      const signal = shutdownSignal();
      printOut(flags.json ? JSON.stringify({ url: server.url }) : server.url);
      printErr(`serving ${layout.root} (Ctrl-C or SIGTERM stops)`);
      printErr(`settle serve: ${await signal}: finishing requests in flight`);
      await server.close();
    });
}
