// API versions: the `/v1.xx` path prefix and the supported range, compared like Docker's api/types/versions.
import { invalidArgument } from '../errors.js';

/** Compares dotted versions numerically ("1.9" < "1.24"); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number.parseInt(pa[i] ?? '0', 10) || 0;
    const y = Number.parseInt(pb[i] ?? '0', 10) || 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export const versionAtLeast = (v: string, min: string): boolean => compareVersions(v, min) >= 0;

/** "/v1.50/containers/json" → { version: "1.50", path: "/containers/json" }; unversioned paths keep version undefined. */
export function splitVersionPrefix(pathname: string): { version?: string; path: string } {
  const m = /^\/v([0-9.]+)(\/.*)?$/.exec(pathname);
  if (!m) return { path: pathname };
  return { version: m[1], path: m[2] ?? '/' };
}

/** Docker's VersionMiddleware: the version to serve the request with, or invalid_argument when outside the range. */
export function negotiateVersion(requested: string | undefined, range: { min: string; max: string }): string {
  const version = requested ?? range.max;
  if (compareVersions(version, range.min) < 0) {
    throw invalidArgument(
      `client version ${version} is too old. Minimum supported API version is ${range.min}, please upgrade your client to a newer version`,
    );
  }
  if (compareVersions(version, range.max) > 0) {
    throw invalidArgument(`client version ${version} is too new. Maximum supported API version is ${range.max}`);
  }
  return version;
}
