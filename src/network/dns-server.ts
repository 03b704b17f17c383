// berth's embedded DNS server, one per user-defined network, listening on UDP and TCP port 53 of the network's
// gateway address in berthd's network namespace. Containers' resolv.conf names that address. (Docker uses
// 127.0.0.11 inside each container, which needs a server thread in every container namespace; the gateway
// is reachable from all of the network's containers and lets berthd forward to resolvers on the host's
// loopback, such as systemd-resolved.) Names of the network's containers are answered here; others are
// forwarded to the upstream resolvers, the reply relayed unchanged.
import { createSocket, type Socket } from 'node:dgram';
import { connect, createServer, type Server, type Socket as TcpSocket } from 'node:net';
import type { Logger } from '../util/logger.js';
import { aRecord, decode, DnsFormatError, encode, ptrRecord, QTYPE, RCODE, type DnsMessage, type Question } from './dns-wire.js';

export type LocalAnswer = { kind: 'name'; ips: string[] } | { kind: 'ptr'; name: string } | undefined;

export interface DnsResolver {
  /** What the network knows about the question's name for this client; undefined sends it upstream. */
  lookup(q: Question, client: string): LocalAnswer;
  /** Resolvers to forward to for this client; empty means the network answers only its own names. */
  upstreams(client: string): string[];
}

export interface DnsServer {
  close(): Promise<void>;
}

const ttl = 600;
const udpMax = 512;
const upstreamTimeoutMs = 1500;

function reply(req: DnsMessage, rcode: number, answers: DnsMessage['answers'] = []): DnsMessage {
  return { ...req, qr: true, aa: answers.length > 0 || rcode === RCODE.NXDOMAIN, tc: false, ra: true, rcode, answers };
}

function forwardUdp(server: string, msg: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = createSocket('udp4');
    const id = msg.readUInt16BE(0);
    const timer = setTimeout(() => done(new Error(`${server}: timeout`)), upstreamTimeoutMs);
    const done = (err?: Error, answer?: Buffer) => {
      clearTimeout(timer);
      sock.close();
      if (err) reject(err);
      else resolve(answer!);
    };
    sock.on('error', (err) => done(err));
    sock.on('message', (answer) => {
      if (answer.length >= 2 && answer.readUInt16BE(0) === id) done(undefined, answer);
    });
    sock.send(msg, 53, server);
  });
}

function forwardTcp(server: string, msg: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: server, port: 53 });
    let buf = Buffer.alloc(0);
    sock.setTimeout(upstreamTimeoutMs * 2, () => sock.destroy(new Error(`${server}: timeout`)));
    sock.on('error', reject);
    sock.on('connect', () => sock.write(Buffer.concat([lengthPrefix(msg.length), msg])));
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        resolve(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        sock.destroy();
      }
    });
    sock.on('close', () => reject(new Error(`${server}: connection closed`)));
  });
}

function lengthPrefix(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n, 0);
  return b;
}

export async function startDnsServer(opts: {
  address: string;
  port?: number;
  resolver: DnsResolver;
  logger: Logger;
}): Promise<DnsServer> {
  const { resolver, logger } = opts;
  const port = opts.port ?? 53;

  async function answer(raw: Buffer, client: string, tcp: boolean): Promise<Buffer | undefined> {
    let req: DnsMessage;
    try {
      req = decode(raw);
    } catch (err) {
      if (!(err instanceof DnsFormatError) || raw.length < 12) return undefined;
      const id = raw.readUInt16BE(0);
      return encode({ id, qr: true, opcode: 0, aa: false, tc: false, rd: false, ra: true, rcode: RCODE.FORMERR, questions: [], answers: [] });
    }
    const max = tcp ? 65535 : udpMax;
    if (req.qr) return undefined;
    if (req.opcode !== 0) return encode(reply(req, RCODE.NOTIMP), max);
    if (req.questions.length !== 1) return encode(reply(req, RCODE.FORMERR), max);
    const q = req.questions[0];
    const local = resolver.lookup(q, client);
    if (local?.kind === 'name') {
      // A known name: its IPv4 addresses, and an empty answer to every other type (AAAA included).
      const answers = q.type === QTYPE.A ? local.ips.map((ip) => aRecord(q.name, ip, ttl)) : [];
      return encode({ ...reply(req, RCODE.NOERROR, answers), aa: true }, max);
    }
    if (local?.kind === 'ptr') return encode(reply(req, RCODE.NOERROR, [ptrRecord(q.name, local.name, ttl)]), max);
    const upstreams = resolver.upstreams(client);
    if (upstreams.length === 0) return encode(reply(req, RCODE.NXDOMAIN), max);
    for (const server of upstreams) {
      try {
        return await (tcp ? forwardTcp(server, raw) : forwardUdp(server, raw));
      } catch (err) {
        logger.debug('dns: upstream failed', { server, name: q.name, error: (err as Error).message });
      }
    }
    return encode(reply(req, RCODE.SERVFAIL), max);
  }

  // reuseAddr: a resolver bound to the wildcard address (dnsmasq...) leaves the gateway address to us.
  const udp: Socket = createSocket({ type: 'udp4', reuseAddr: true });
  udp.on('message', (msg, rinfo) => {
    answer(msg, rinfo.address, false).then(
      (out) => out && udp.send(out, rinfo.port, rinfo.address),
      (err: unknown) => logger.warn('dns: query failed', { error: (err as Error).message }),
    );
  });

  const connections = new Set<TcpSocket>();
  const tcpServer: Server = createServer((sock: TcpSocket) => {
    connections.add(sock);
    sock.on('close', () => connections.delete(sock));
    let buf = Buffer.alloc(0);
    let queue = Promise.resolve();
    sock.setTimeout(10_000, () => sock.destroy());
    sock.on('error', () => sock.destroy());
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        queue = queue
          .then(() => answer(msg, sock.remoteAddress ?? '', true))
          .then((out) => {
            if (out && !sock.destroyed) sock.write(Buffer.concat([lengthPrefix(out.length), out]));
          })
          .catch((err: unknown) => logger.warn('dns: query failed', { error: (err as Error).message }));
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind({ address: opts.address, port, exclusive: true }, () => {
      udp.off('error', reject);
      udp.on('error', (err) => logger.warn('dns: udp socket error', { error: err.message }));
      resolve();
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      tcpServer.once('error', reject);
      tcpServer.listen({ host: opts.address, port, exclusive: true }, () => resolve());
    });
  } catch (err) {
    udp.close();
    throw err;
  }

  return {
    async close() {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      const closed = new Promise<void>((resolve) => tcpServer.close(() => resolve()));
      for (const sock of connections) sock.destroy();
      await closed;
    },
  };
}
