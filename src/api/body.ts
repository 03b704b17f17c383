// Request bodies: JSON documents as Docker's httputils.ReadJSON reads them.
import type { Readable } from 'node:stream';
import { invalidArgument } from '../errors.js';
import type { RequestContext } from './types.js';

const maxJsonBytes = 16 * 1024 * 1024;

export async function readAll(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) throw invalidArgument(`request body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** "application/json; charset=utf-8" → "application/json". */
const mediaType = (header: string | undefined): string => (header ?? '').split(';')[0].trim().toLowerCase();

/** The parsed JSON body, or undefined when the body is empty (an empty body is not an error, as in Docker). */
export async function readJson(ctx: RequestContext): Promise<unknown> {
  const data = await readAll(ctx.body, maxJsonBytes);
  if (data.length === 0) return undefined;
  const type = ctx.req.headers['content-type'];
  if (mediaType(type) !== 'application/json') {
    throw invalidArgument(`unsupported Content-Type header (${type ?? ''}): must be 'application/json'`);
  }
  try {
    return JSON.parse(data.toString('utf8'));
  } catch (err) {
    throw invalidArgument(`invalid JSON: ${(err as Error).message}`);
  }
}

/** The body as a JSON object ({} when empty); invalid_argument for other JSON values. */
export async function readJsonObject(ctx: RequestContext): Promise<Record<string, unknown>> {
  const value = await readJson(ctx);
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidArgument('invalid JSON: expected an object');
  return value as Record<string, unknown>;
}
