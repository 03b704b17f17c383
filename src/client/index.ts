export { createClient, defaultApiVersion } from './client.js';
export { DaemonError, isDaemonError } from './errors.js';
export { defaultHost, parseHost, resolveHost, type Endpoint } from './host.js';
export { jsonValues, splitJsonValues } from './json-stream.js';
export { demultiplex, demultiplexTo, type Frame, type StreamKind } from './multiplex.js';
export type * from './types.js';
export type * from './docker-types.js';
export type * from './storage-types.js';
