export * from './types.js';
export * from './overlay.js';
export * from './mount.js';
export * from './usage.js';
