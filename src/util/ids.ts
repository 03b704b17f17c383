import { randomBytes } from 'node:crypto';

/** A 64-hex-digit identifier, like Docker's container and exec IDs. */
export const newId = (): string => randomBytes(32).toString('hex');

export const shortId = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);
