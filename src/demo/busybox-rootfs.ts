// A busybox root filesystem as a tar stream, made from Debian's busybox-static: an image without the internet.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import tar, { type Header } from 'tar-stream';

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
  const pack = tar.pack();
  const mtime = new Date('2024-01-01T00:00:00Z');
  const entry = (header: Partial<Header> & Pick<Header, 'name'>, body = '') =>
    new Promise<void>((resolve, reject) => pack.entry({ uid: 0, gid: 0, mtime, ...header }, body, (err) => (err ? reject(err) : resolve())));
  void (async () => {
    for (const [name, mode] of dirs) await entry({ name: `${name}/`, type: 'directory', mode });
    await new Promise<void>((resolve, reject) => {
      const sink = pack.entry({ name: 'bin/busybox', size, mode: 0o755, uid: 0, gid: 0, mtime }, (err) => (err ? reject(err) : resolve()));
      createReadStream(busyboxPath).pipe(sink);
    });
    for (const a of applets) await entry({ name: `bin/${a}`, type: 'symlink', linkname: 'busybox', mode: 0o777 });
    for (const [name, body] of Object.entries(etcFiles)) await entry({ name, mode: 0o644 }, body);
    pack.finalize();
  })().catch((err) => pack.destroy(err));
  return pack as unknown as Readable;
}
