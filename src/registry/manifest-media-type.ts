// Manifest media types the client asks for, and the type of what a registry sent back.
import { BerthError, invalidArgument } from '../errors.js';

/** Accepted manifest types, in the order sent in Accept (an index or list first, so multi-arch images stay whole). */
export const manifestMediaTypes = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;

const ociIndex = manifestMediaTypes[0];
const ociManifest = manifestMediaTypes[2];

/** Registries are allowed to serve manifests this big; anything larger is refused unread. */
export const maxManifestBytes = 4 << 20;

/**
 * The media type of manifest bytes served with contentType: the document's own mediaType (which must agree with
 * a known Content-Type), else the Content-Type, else guessed from the fields (OCI documents may omit mediaType).
 */
export function manifestMediaType(bytes: Buffer, contentType: string | null, where: string): string {
  let doc: { schemaVersion?: unknown; mediaType?: unknown; manifests?: unknown; config?: unknown };
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalidArgument(`${where}: the manifest is not valid JSON`);
  }
  if (doc === null || typeof doc !== 'object') throw invalidArgument(`${where}: the manifest is not a JSON object`);
  if (doc.schemaVersion === 1) {
    throw new BerthError(
      'not_implemented',
      `${where}: Docker Image Format v1 and Docker Image manifest version 2, schema 1 are not supported`,
    );
  }
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const known = (manifestMediaTypes as readonly string[]).includes(type);
  if (typeof doc.mediaType === 'string' && doc.mediaType) {
    if (known && doc.mediaType !== type) {
      throw invalidArgument(`${where}: manifest mediaType ${doc.mediaType} does not match Content-Type ${type}`);
    }
    return doc.mediaType;
  }
  if (known) return type;
  if (Array.isArray(doc.manifests)) return ociIndex;
  if (doc.config && typeof doc.config === 'object') return ociManifest;
  throw invalidArgument(`${where}: unsupported manifest (Content-Type ${type || 'none'})`);
}
