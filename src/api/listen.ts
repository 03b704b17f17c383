// Listening addresses: unix:///path (socket mode 0660, stale socket replaced, parent created) and tcp://host:port.
import type { Server } from 'node:http';
import { chmod, lstat, mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { invalidArgument, isErrno } from '../errors.js';

export type ListenAddress = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

export function parseHost(host: string): ListenAddress {
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    if (!socketPath) throw invalidArgument(`invalid host ${JSON.stringify(host)}: no socket path`);
    return { kind: 'unix', path: socketPath };
  }
  const m = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[^:/[\]]+):(\d{1,5})\/?$/.exec(host);
  if (m && Number(m[2]) <= 65535) return { kind: 'tcp', host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
  throw invalidArgument(`invalid host ${JSON.stringify(host)}: use unix:///path or tcp://host:port`);
}

async function removeStaleSocket(socketPath: string): Promise<void> {
  try {
    const st = await lstat(socketPath);
    if (!st.isSocket()) throw invalidArgument(`${socketPath} exists and is not a socket`);
    await unlink(socketPath);
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
  }
}

function listenOn(server: Server, args: [string] | [number, string]): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(...(args as [number, string]), () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function listenAt(server: Server, address: ListenAddress): Promise<void> {
  if (address.kind === 'tcp') return listenOn(server, [address.port, address.host]);
  await mkdir(path.dirname(address.path), { recursive: true });
  await removeStaleSocket(address.path);
  await listenOn(server, [address.path]);
  await chmod(address.path, 0o660);
}
