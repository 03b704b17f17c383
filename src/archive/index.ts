export * from './tar-header.js';
export * from './tar-stream.js';
export * from './compression.js';
export * from './apply.js';
export * from './diff.js';
export * from './streams.js';
