export * from './types.js';
export * from './client.js';
export * from './hosts.js';
export * from './auth.js';
export * from './credentials.js';
export * from './login.js';
