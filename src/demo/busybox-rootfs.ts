// A busybox root filesystem as a tar stream, made from Debian's busybox-static: an image without the internet.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { tarHeader, writeTar, type TarOutEntry } from '../archive/tar-stream.js';
import type { TarHeader } from '../archive/tar-header.js';

const run = promisify(execFile);
export const busyboxPath = '/bin/busybox';

const etcFiles: Record<string, string> = {
  'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n',
  'etc/group': 'root:x:0:\ndaemon:x:1:\nwheel:x:10:root\nnogroup:x:65534:\n',
};
const dirs: [string, number][] = [
  ['bin', 0o755], ['dev', 0o755], ['etc', 0o755], ['home', 0o755], ['proc', 0o555], ['root', 0o700],
  ['sys', 0o555], ['tmp', 0o1777], ['usr', 0o755], ['usr/bin', 0o755], ['var', 0o755],
];

export async function busyboxApplets(): Promise<string[]> {
  const { stdout } = await run(busyboxPath, ['--list']);
  return stdout.split('\n').filter((a) => a && a !== 'busybox');
}

/** The rootfs tar: /bin/busybox, a symlink per applet in /bin, /etc/passwd and /etc/group. */
export async function busyboxRootfsTar(): Promise<Readable> {
  const applets = await busyboxApplets();
  const size = (await stat(busyboxPath)).size;
  const mtime = Date.parse('2024-01-01T00:00:00Z') / 1000;
  const header = (h: Partial<TarHeader> & Pick<TarHeader, 'name' | 'type'>) => tarHeader({ mtime, ...h });
  function* entries(): Generator<TarOutEntry> {
    for (const [name, mode] of dirs) yield { header: header({ name: `${name}/`, type: 'directory', mode }) };
    yield { header: header({ name: 'bin/busybox', type: 'file', size, mode: 0o755 }), body: () => createReadStream(busyboxPath) };
    for (const a of applets) yield { header: header({ name: `bin/${a}`, type: 'symlink', linkname: 'busybox', mode: 0o777 }) };
    for (const [name, text] of Object.entries(etcFiles)) {
      const data = Buffer.from(text);
      yield { header: header({ name, type: 'file', size: data.length, mode: 0o644 }), body: () => [data] };
    }
  }
  return Readable.from(writeTar(entries()), { objectMode: false });
}
