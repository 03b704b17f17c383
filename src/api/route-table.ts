// Every endpoint, one group per file under routes/. New groups (pull, push, build, networks, volumes) are added here.
import { commitRoutes } from './routes/commit.js';
import { containerIoRoutes } from './routes/container-io.js';
import { containerRoutes } from './routes/containers.js';
import { execRoutes } from './routes/exec.js';
import { imageRoutes } from './routes/images.js';
import { networkRoutes } from './routes/networks.js';
import { registryRoutes } from './routes/registry.js';
import { systemRoutes } from './routes/system.js';
import { archiveRoutes } from './routes/archive.js';
import { pruneRoutes } from './routes/prune.js';
import { systemDfRoutes } from './routes/system-df.js';
import { volumeRoutes } from './routes/volumes.js';
import type { Route } from './types.js';

export const routeTable: Route[] = [
  ...pruneRoutes, ...volumeRoutes, ...archiveRoutes, ...systemDfRoutes,
  ...systemRoutes, ...imageRoutes, ...registryRoutes, ...containerRoutes, ...containerIoRoutes, ...execRoutes, ...networkRoutes, ...commitRoutes,
];
