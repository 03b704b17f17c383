export { diskUsage, type DiskUsageDeps } from './disk-usage.js';
export { pruneImages, type ImagePruneDeps } from './image-prune.js';
