// Every endpoint, one group per file under routes/. New groups (pull, push, build, networks, volumes) are added here.
import { containerIoRoutes } from './routes/container-io.js';
import { containerRoutes } from './routes/containers.js';
import { execRoutes } from './routes/exec.js';
import { imageRoutes } from './routes/images.js';
import { systemRoutes } from './routes/system.js';
import type { Route } from './types.js';

export const routeTable: Route[] = [...systemRoutes, ...imageRoutes, ...containerRoutes, ...containerIoRoutes, ...execRoutes];
