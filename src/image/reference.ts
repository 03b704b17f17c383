// Docker image references: `busybox` is `docker.io/library/busybox:latest`, `localhost:5000/x@sha256:...`, ...
import { invalidArgument } from '../errors.js';

export interface Reference {
  domain: string;
  /** Repository path inside the domain, e.g. "library/busybox". */
  path: string;
  tag?: string;
  digest?: string;
}

export const defaultDomain = 'docker.io';
const legacyDomain = 'index.docker.io';
const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const domainPattern = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;

export const isDigest = (s: string): boolean => /^sha256:[a-f0-9]{64}$/.test(s);

/** Parses and normalises a reference the way Docker does; throws invalid_argument for malformed input. */
export function parseReference(input: string): Reference {
  const bad = () => invalidArgument(`invalid reference format: ${JSON.stringify(input)}`);
  if (!input || input.length > 255 + 128 + 80) throw bad();
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest)) throw bad();
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagPattern.test(tag)) throw bad();
  }
  let domain = defaultDomain;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      domain = first;
      path = rest.slice(slash + 1);
    }
  }
  if (!domainPattern.test(domain)) throw bad();
  if (domain === legacyDomain) domain = defaultDomain;
  if (domain === defaultDomain && !path.includes('/')) path = `library/${path}`;
  if (!path || !path.split('/').every((c) => pathComponent.test(c))) {
    if (path.toLowerCase() === path) throw bad();
    throw invalidArgument(`invalid reference format: repository name (${path}) must be lowercase`);
  }
  if (!tag && !digest) tag = 'latest';
  return { domain, path, tag, digest };
}

/** "docker.io/library/busybox" */
export const repositoryName = (ref: Reference): string => `${ref.domain}/${ref.path}`;

export function formatReference(ref: Reference): string {
  return repositoryName(ref) + (ref.tag ? `:${ref.tag}` : '') + (ref.digest ? `@${ref.digest}` : '');
}

/** Full normalised string: "busybox" → "docker.io/library/busybox:latest". */
export const normalizeReference = (input: string): string => formatReference(parseReference(input));

/** Docker's short form for display: "docker.io/library/busybox:latest" → "busybox:latest". */
export function familiarString(full: string): string {
  const ref = parseReference(full);
  return familiarRepository(ref) + (ref.tag ? `:${ref.tag}` : '') + (ref.digest ? `@${ref.digest}` : '');
}

export function familiarRepository(ref: Reference): string {
  if (ref.domain !== defaultDomain) return repositoryName(ref);
  return ref.path.startsWith('library/') ? ref.path.slice('library/'.length) : ref.path;
}
