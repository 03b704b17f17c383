#!/usr/bin/env -S node --initial-old-space-size=64
// berthd: parses docker-style flags, starts the engine and serves the Docker Engine API until SIGTERM/SIGINT.
// The V8 flag: V8 counts the buffers a pull streams through (hundreds of MB) against a heap limit sized for berthd's
// few MB of objects, and ran a full mark-compact every 15 MB or so; starting the old space at 64 MB cuts a 200 MB
// pull's full collections from about a dozen to none, and the daemon's CPU time per pull by about a fifth.
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
