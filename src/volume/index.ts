export * from './types.js';
export { createVolumeService } from './volume-service.js';
export { parseBind, parseMountConfig, parseTmpfs, parseVolumesFrom, resolveContainerMounts, validMountMode, modeIsReadWrite } from './mount-spec.js';
export { parseMountFlag } from './mount-flag.js';
export { toOciMounts, rootfsPropagationFor, prepareBindSources } from './oci-mounts.js';
export { mergeTmpfsOptions, parseMountOptions, parseRamSize } from './mount-options.js';
