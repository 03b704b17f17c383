// The berth CLI's own version: the package's.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export const cliVersion: string = pkg.version;
