#!/usr/bin/env node
// berthd: parses docker-style flags, starts the engine and serves the Docker Engine API until SIGTERM/SIGINT.
import { loadConfig, usage } from './config.js';
import { startDaemon } from './daemon.js';
import { createLogger } from '../util/logger.js';
import { berthVersion } from './version.js';

async function main(): Promise<void> {
  const parsed = await loadConfig(process.argv.slice(2));
  if ('help' in parsed) return void process.stdout.write(usage);
  if ('version' in parsed) return void process.stdout.write(`berthd version ${berthVersion}\n`);
  const { config } = parsed;
  const logger = createLogger(config.logLevel, (line) => process.stderr.write(line));
  const daemon = await startDaemon(config, logger);
  let stopping = false;
  const shutdown = (sig: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down; containers keep running', { signal: sig });
    daemon.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error('shutdown failed', { err: String(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`berthd: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
