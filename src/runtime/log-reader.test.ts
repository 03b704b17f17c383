import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readLogs, type ReadLogsOptions } from './log-reader.js';
import { parseRecord, parseTimestamp } from './log-record.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'berth-logs-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const all: ReadLogsOptions = { follow: false, stdout: true, stderr: true, since: 0, until: 0 };
const BASE = Date.UTC(2024, 0, 2, 3, 4, 5) / 1000;
/** A k8s-file record at BASE + seconds. */
function rec(seconds: number, stream: 'stdout' | 'stderr', tag: 'F' | 'P', data: string, zone: 'Z' | '+00:00' = '+00:00'): string {
  const whole = Math.floor(seconds);
  const stamp = new Date((BASE + whole) * 1000).toISOString().slice(0, 19);
  const nanos = String(Math.round((seconds - whole) * 1e9)).padStart(9, '0');
  return `${stamp}.${nanos}${zone} ${stream} ${tag} ${data}\n`;
}

async function read(file: string, opts: Partial<ReadLogsOptions> = {}, running = async () => false, signal?: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  for await (const e of readLogs(file, { ...all, ...opts }, signal, running)) out.push(`${e.stream}:${e.data.toString()}`);
  return out;
}

test('records: timestamps with nanoseconds, either zone form; anything else is not a record', () => {
  const t = parseTimestamp('2024-01-02T03:04:05.123456789+00:00')!;
  assert.equal(t.time.toISOString(), '2024-01-02T03:04:05.123Z');
  assert.ok(Math.abs(t.seconds - (BASE + 0.123456789)) < 1e-6);
  assert.equal(parseTimestamp('2024-01-02T03:04:05Z')!.seconds, BASE);
  assert.deepEqual(parseRecord(Buffer.from(rec(1, 'stderr', 'P', 'a b', 'Z').trimEnd()))?.data.toString(), 'a b');
  assert.equal(parseRecord(Buffer.from('2024-01-02T03:04:05Z stdout F'))?.data.length, 0);
  assert.equal(parseRecord(Buffer.from('2024-01-02T03:04:05Z stdout Fx')), undefined);
  assert.equal(parseRecord(Buffer.from('garbage line')), undefined);
  assert.equal(parseRecord(Buffer.from('2024-01-02T03:04:05Z stdin F x')), undefined);
});

test('partial records join into lines per stream; stream selection; since and until', async () => {
  const file = path.join(dir, 'joined.log');
  await writeFile(file, [
    rec(1, 'stdout', 'P', 'hel'), rec(1.5, 'stderr', 'F', 'err one'), rec(2, 'stdout', 'P', 'lo '), rec(3, 'stdout', 'F', 'world'),
    rec(4, 'stdout', 'F', ''), 'not a record\n', rec(5, 'stderr', 'F', 'err two'), rec(6, 'stdout', 'P', 'no newline yet'),
  ].join(''));
  assert.deepEqual(await read(file), ['stderr:err one\n', 'stdout:hello world\n', 'stdout:\n', 'stderr:err two\n', 'stdout:no newline yet']);
  assert.deepEqual(await read(file, { stdout: false }), ['stderr:err one\n', 'stderr:err two\n']);
  assert.deepEqual(await read(file, { since: BASE + 1.2 }), ['stderr:err one\n', 'stdout:\n', 'stderr:err two\n', 'stdout:no newline yet']);
  assert.deepEqual(await read(file, { until: BASE + 4.5 }), ['stderr:err one\n', 'stdout:hello world\n', 'stdout:\n']);
  assert.deepEqual(await read(path.join(dir, 'missing.log')), []);
});

test('tail counts lines from the end without reading the whole file', async () => {
  const file = path.join(dir, 'tail.log');
  const lines = Array.from({ length: 5000 }, (_, i) => rec(i / 1000, i % 3 ? 'stdout' : 'stderr', 'F', `line ${i}`));
  // The last line comes in two pieces and is followed by half a record still being written.
  lines.push(rec(30, 'stdout', 'P', 'split '), rec(31, 'stdout', 'F', 'end'));
  await writeFile(file, lines.join('') + '2024-01-02T03:04:40.000000000+00:00 std');
  assert.deepEqual(await read(file, { tail: 3 }), ['stderr:line 4998\n', 'stdout:line 4999\n', 'stdout:split end\n']);
  assert.deepEqual(await read(file, { tail: 1 }), ['stdout:split end\n']);
  const across = await read(file, { tail: 2000 }); // starts two 64 KiB blocks before the end
  assert.equal(across.length, 2000);
  assert.deepEqual(across.slice(0, 2), ['stdout:line 3001\n', 'stdout:line 3002\n']);
  assert.deepEqual(await read(file, { tail: 0 }), []);
  assert.equal((await read(file, { tail: 1_000_000 })).length, 5001);
  assert.deepEqual(await read(file, { tail: 4, stdout: false }), ['stderr:line 4998\n']);

  // 4 GiB of hole before the last records: only a tail that reads from the end can answer this.
  const sparse = path.join(dir, 'sparse.log');
  await writeFile(sparse, '');
  await truncate(sparse, 4 * 1024 ** 3);
  await appendFile(sparse, '\n' + rec(1, 'stdout', 'F', 'a') + rec(2, 'stdout', 'F', 'b') + rec(3, 'stdout', 'F', 'c'));
  assert.deepEqual(await read(sparse, { tail: 2 }), ['stdout:b\n', 'stdout:c\n']);
});

test('follow: appended lines, a rotated file, an unfinished line, the end when the container stops', async () => {
  const file = path.join(dir, 'follow.log');
  await writeFile(file, rec(1, 'stdout', 'F', 'first'));
  let running = true;
  const seen: string[] = [];
  const done = (async () => {
    for await (const e of readLogs(file, { ...all, follow: true }, undefined, async () => running)) seen.push(e.data.toString());
  })();
  const until = async (n: number) => {
    for (let i = 0; i < 200 && seen.length < n; i++) await sleep(10);
    assert.equal(seen.length, n, `saw ${JSON.stringify(seen)}`);
  };
  await until(1);
  await appendFile(file, rec(2, 'stdout', 'F', 'second'));
  await until(2);
  // conmon's rotation: a new file renamed over the old one; the old one's last lines are still read.
  await appendFile(file, rec(3, 'stdout', 'F', 'last of old'));
  await writeFile(`${file}.tmp`, rec(4, 'stdout', 'F', 'first of new'));
  await rename(`${file}.tmp`, file);
  await until(4);
  await appendFile(file, rec(5, 'stdout', 'P', 'prompt> '));
  await until(5); // shown once nothing follows for a while
  await appendFile(file, rec(6, 'stderr', 'F', 'bye'));
  running = false;
  await done;
  assert.deepEqual(seen, ['first\n', 'second\n', 'last of old\n', 'first of new\n', 'prompt> ', 'bye\n']);
});

test('follow ends on abort, and at until', async () => {
  const file = path.join(dir, 'abort.log');
  await writeFile(file, rec(1, 'stdout', 'F', 'one'));
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  assert.deepEqual(await read(file, { follow: true }, async () => true, ac.signal), ['stdout:one\n']);

  const until = (async () => read(file, { follow: true, until: BASE + 2.5 }, async () => true))();
  await sleep(50);
  await appendFile(file, rec(2, 'stdout', 'F', 'two') + rec(3, 'stdout', 'F', 'three'));
  assert.deepEqual(await until, ['stdout:one\n', 'stdout:two\n']);
});
