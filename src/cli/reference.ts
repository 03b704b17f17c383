// Image references as the CLI shows them: repository, tag and digest, docker.io/library/ dropped.

export interface SplitReference {
  repository: string;
  tag?: string;
  digest?: string;
}

/** "docker.io/library/busybox" → "busybox", "docker.io/me/app" → "me/app" (docker's familiar names). */
export const familiarName = (repository: string): string => repository.replace(/^docker\.io\/(library\/)?/, '');

/** Splits name[:tag][@digest]; a colon before the last "/" is a registry port, not a tag. */
export function splitReference(ref: string): SplitReference {
  const at = ref.indexOf('@');
  const digest = at === -1 ? undefined : ref.slice(at + 1);
  const named = at === -1 ? ref : ref.slice(0, at);
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  return {
    repository: familiarName(hasTag ? named.slice(0, colon) : named),
    ...(hasTag && { tag: named.slice(colon + 1) }),
    ...(digest && { digest }),
  };
}

