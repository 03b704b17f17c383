export * from './types.js';
export { createConmonRuntime, type ConmonRuntimeOptions } from './conmon-runtime.js';
export { generateSpec, containerEnv, hostNofileHardLimit, type SpecInput, type HostFacts } from './spec.js';
export { resolveUser } from './user.js';
export { readLogs, type ReadLogsOptions, type LogEntry } from './log-reader.js';
export { CAPABILITY_NAMES, DEFAULT_CAPABILITIES, containerCapabilities, hostBoundingSet, processCapabilities } from './capabilities.js';
export { defaultRuntimePath } from './oci-cli.js';
