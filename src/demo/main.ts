// npm run demo: berthd up (started if needed), a busybox image made from Debian's busybox-static, a container run.
import { spawn, spawnSync } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { busyboxRootfsTar } from './busybox-rootfs.js';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const berth = (args: string[], input?: Buffer) =>
  spawnSync(process.execPath, [path.join(dist, 'cli', 'main.js'), ...args], { input, encoding: 'utf8' });
const say = (s: string): void => void process.stdout.write(`\x1b[1m==> ${s}\x1b[0m\n`);

function show(args: string[], input?: Buffer): string {
  process.stdout.write(`$ berth ${args.join(' ')}\n`);
  const r = berth(args, input);
  process.stdout.write(r.stdout + r.stderr);
  if (r.status !== 0) throw new Error(`berth ${args[0]} failed with exit code ${r.status}`);
  return r.stdout;
}

async function ensureDaemon(): Promise<void> {
  if (berth(['version']).status === 0) return say('berthd is already running');
  const log = '/var/log/berthd.log';
  say(`starting berthd (log: ${log})`);
  const fd = openSync(log, 'a');
  // Through its #! line, which carries berthd's node flags.
  spawn(path.join(dist, 'daemon', 'main.js'), [], { detached: true, stdio: ['ignore', fd, fd] }).unref();
  closeSync(fd);
  for (let i = 0; i < 100; i++) {
    if (berth(['version']).status === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`berthd did not come up; see ${log}`);
}

async function main(): Promise<void> {
  await ensureDaemon();
  show(['version']);
  say('importing a busybox image built from /bin/busybox (no internet needed)');
  const chunks: Buffer[] = [];
  for await (const c of await busyboxRootfsTar()) chunks.push(c as Buffer);
  show(['import', '--change', 'CMD ["sh"]', '-', 'busybox:latest'], Buffer.concat(chunks));
  show(['images']);
  say('running a container: its own hostname, its own PID namespace, the image as its root filesystem');
  show(['run', '--rm', '--hostname', 'demo', 'busybox', 'sh', '-c',
    'echo "hello from $(hostname), I am PID $$"; uname -sr; ls /bin | wc -l | xargs echo applets:']);
  say('a detached container, its logs, an exec into it, then stop and remove');
  show(['run', '-d', '--name', 'demo-ticker', 'busybox', 'sh', '-c', 'trap "exit 0" TERM; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done']);
  await new Promise((r) => setTimeout(r, 700));
  show(['ps']);
  show(['logs', '--tail', '2', 'demo-ticker']);
  show(['exec', 'demo-ticker', 'ps']);
  show(['stop', 'demo-ticker']);
  show(['rm', 'demo-ticker']);
  say('done: the docker CLI works too — DOCKER_HOST=unix:///run/berth/berth.sock docker run --rm busybox echo hi');
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
