import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from './client.js';
import { isBerthError } from '../errors.js';

test('a daemon that is not there gives docker-style "Cannot connect" errors', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-client-'));
  try {
    const host = `unix://${path.join(dir, 'absent.sock')}`;
    const client = createClient({ host });
    await assert.rejects(client.ping(), (err) => {
      assert.ok(isBerthError(err, 'unavailable'));
      assert.equal(err.message, `Cannot connect to the berth daemon at ${host}. Is berthd running?`);
      return true;
    });
    // A TCP port nobody listens on: connection refused, same message.
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((r) => server.close(r));
    const refused = createClient({ host: `tcp://127.0.0.1:${port}` });
    await assert.rejects(refused.containers.list(), {
      message: `Cannot connect to the berth daemon at tcp://127.0.0.1:${port}. Is berthd running?`,
    });
    client.close();
    refused.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
