// Registry endpoints: pull (POST /images/create?fromImage=), push (POST /images/{name}/push) and login (POST /auth).
import { BerthError, invalidArgument, isBerthError, notFound } from '../../errors.js';
import type { Platform } from '../../content/types.js';
import { hostPlatform } from '../../image/manifest.js';
import { formatReference, isDigest, normalizeReference, parseReference, repositoryName } from '../../image/reference.js';
import { readJsonObject } from '../body.js';
import { progressStream } from '../progress-stream.js';
import { loginRequest, registryAuthHeader } from '../registry-auth.js';
import { sendJson } from '../respond.js';
import type { RequestContext, Route } from '../types.js';

/** fromImage and tag as Docker combines them: a tag parameter that is a digest pins the digest. */
export function pullReference(fromImage: string, tag: string | undefined): string {
  const ref = parseReference(fromImage);
  if (!tag) {
    // Docker pulls every tag of a name given without one (docker pull --all-tags).
    if (!/[:@][^/]*$/.test(fromImage)) throw new BerthError('not_implemented', `pulling every tag of ${fromImage} is not supported: name a tag or digest`);
    return formatReference(ref);
  }
  const repo = repositoryName(ref);
  return normalizeReference(isDigest(tag) ? `${repo}@${tag}` : `${repo}:${tag}`);
}

const archAliases: Record<string, string> = { x86_64: 'amd64', x86: '386', aarch64: 'arm64', armhf: 'arm', armel: 'arm' };

/** "linux/arm64/v8", "linux/amd64", "linux" (the host's architecture) → a platform. */
export function parsePlatform(text: string): Platform {
  const [os, arch, variant, ...rest] = text.trim().toLowerCase().split('/');
  if (!os || rest.length || (arch !== undefined && !arch) || (variant !== undefined && !variant)) {
    throw invalidArgument(`invalid platform ${JSON.stringify(text)}: expected os[/arch[/variant]]`);
  }
  const architecture = arch ? (archAliases[arch] ?? arch) : hostPlatform().architecture;
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** Refused credentials are Docker's "pull access denied ... may require 'docker login'", a 404 as Docker's is. */
const pullError = (err: unknown): unknown =>
  isBerthError(err, 'unauthorized') || isBerthError(err, 'forbidden') ? new BerthError('not_found', err.message, { cause: err }) : err;

/** POST /images/create?fromImage=NAME[:TAG|@DIGEST]&tag=&platform=, called by the images route. */
export async function pull(ctx: RequestContext): Promise<void> {
  const { query, deps } = ctx;
  const ref = pullReference(query.get('fromImage') ?? '', query.get('tag'));
  const platformText = query.get('platform');
  const platform = platformText ? parsePlatform(platformText) : undefined;
  const auth = registryAuthHeader(ctx.req.headers['x-registry-auth']);
  const out = progressStream(ctx.res);
  try {
    await deps.engine.registry.pullImage(ref, { platform, auth, onProgress: out.send, signal: ctx.signal });
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    deps.logger.debug('pull failed', { ref, err: String(err) });
    out.fail(pullError(err));
    return;
  }
  out.end();
}

/** What POST /images/{name}/push pushes: name:tag, name as given, or every local tag of the repository. */
async function pushReferences(ctx: RequestContext): Promise<string[]> {
  const ref = parseReference(ctx.params.name);
  const tag = ctx.query.get('tag');
  if (tag) return [normalizeReference(`${repositoryName(ref)}:${tag}`)];
  if (/[:@][^/]*$/.test(ctx.params.name)) return [formatReference(ref)];
  const repo = repositoryName(ref);
  const images = await ctx.deps.engine.images.list({ all: false, filters: {} });
  const tagged = images.flatMap((i) => i.repoTags.map(normalizeReference)).filter((n) => repositoryName(parseReference(n)) === repo);
  if (!tagged.length) throw notFound(`An image does not exist locally with the tag: ${ctx.params.name}`);
  return [...new Set(tagged)].sort();
}

async function push(ctx: RequestContext): Promise<void> {
  const refs = await pushReferences(ctx);
  const auth = registryAuthHeader(ctx.req.headers['x-registry-auth']);
  const out = progressStream(ctx.res);
  try {
    for (const ref of refs) await ctx.deps.engine.registry.pushImage(ref, { auth, onProgress: out.send, signal: ctx.signal });
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    ctx.deps.logger.debug('push failed', { name: ctx.params.name, err: String(err) });
    out.fail(err);
    return;
  }
  out.end();
}

/** POST /auth: checks the credentials with the registry; the client keeps them (berthd stores none). */
async function auth(ctx: RequestContext): Promise<void> {
  const { serverAddress, auth: credentials } = loginRequest(await readJsonObject(ctx));
  const result = await ctx.deps.engine.registry.login(serverAddress, credentials, { signal: ctx.signal });
  sendJson(ctx.res, 200, { Status: result.status, IdentityToken: '' });
}

export const registryRoutes: Route[] = [
  { method: 'POST', path: '/images/{name*}/push', handler: push },
  { method: 'POST', path: '/auth', handler: auth },
];
