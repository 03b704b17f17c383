// exchange() against a node:http server on loopback: answers, streamed request bodies, and what discard() does to
// the connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { exchange } from './http-exchange.js';

async function withServer(handler: (req: IncomingMessage, res: ServerResponse) => void, fn: (base: URL, connections: () => number) => Promise<void>) {
  const server = createServer(handler);
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fn(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`), () => connections);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const collect = async (req: IncomingMessage) => {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
};

test('status, headers and body of an answer; a streamed request body arrives whole', async () => {
  await withServer(
    async (req, res) => {
      const body = await collect(req);
      res.writeHead(201, 'Made', { 'x-method': req.method!, 'x-length': String(body.length), 'x-chunked': String(req.headers['transfer-encoding'] === 'chunked') });
      res.end(JSON.stringify({ got: body.toString() }));
    },
    async (base) => {
      const res = await exchange(new URL('/put', base), { method: 'PUT', headers: {}, body: Readable.from([Buffer.from('ab'), Buffer.from('cd')]) });
      assert.equal(res.status, 201);
      assert.equal(res.statusText, 'Made');
      assert.equal(res.headers.get('X-Method'), 'PUT');
      assert.equal(res.headers.get('x-length'), '4');
      assert.equal(res.headers.get('x-chunked'), 'true');
      assert.deepEqual(await res.json(), { got: 'abcd' });
      const head = await exchange(base, { method: 'HEAD', headers: {}, body: Buffer.alloc(0) });
      assert.equal(head.status, 201);
      assert.equal(await head.text(), '');
    },
  );
});

test('discard() keeps the connection after a small body and closes it in the middle of a big one', async () => {
  const big = Buffer.alloc(8 << 20, 1);
  await withServer(
    (req, res) => {
      const body = req.url === '/big' ? big : Buffer.from('small');
      res.writeHead(200, { 'content-length': String(body.length) });
      res.end(body);
    },
    async (base, connections) => {
      for (let i = 0; i < 3; i++) await (await exchange(new URL('/small', base), { method: 'GET', headers: {} })).discard();
      assert.equal(connections(), 1, 'small bodies are drained and the connection reused');
      const res = await exchange(new URL('/big', base), { method: 'GET', headers: {} });
      await res.discard();
      assert.equal(res.body.destroyed, true);
      await (await exchange(new URL('/small', base), { method: 'GET', headers: {} })).discard();
      assert.equal(connections(), 2, 'the big body went with its connection');
    },
  );
});

test('a refused connection and an abort reject the exchange', async () => {
  let port = 0;
  await withServer(() => undefined, async (base) => void (port = Number(base.port)));
  await assert.rejects(exchange(new URL(`http://127.0.0.1:${port}/`), { method: 'GET', headers: {} }), /ECONNREFUSED/);
  await withServer(
    () => undefined, // never answers
    async (base) => {
      const ac = new AbortController();
      const pending = exchange(base, { method: 'GET', headers: {}, signal: ac.signal });
      ac.abort();
      await assert.rejects(pending, { name: 'AbortError' });
    },
  );
});
