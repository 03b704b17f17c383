export { createApiServer } from './server.js';
export type { ApiServer, ApiServerOptions, DaemonInfo } from './types.js';
