// Headers Docker puts on every response (VersionMiddleware and the experimental middleware).
import type { DaemonInfo } from './types.js';

export function commonHeaders(d: DaemonInfo): Record<string, string> {
  return {
    'Api-Version': d.apiVersion,
    'Docker-Experimental': 'false',
    Ostype: 'linux',
    Server: `Berth/${d.version} (linux)`,
  };
}
