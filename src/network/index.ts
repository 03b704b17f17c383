export * from './types.js';
export { createNetworkService } from './service.js';
export { createNetns, removeNetns, isNetnsMount } from './netns.js';
export {
  parseResolvConf,
  renderResolvConf,
  renderEmbeddedResolvConf,
  renderHosts,
  renderHostname,
  parseExtraHost,
  type ResolvConf,
  type HostsOptions,
  type HostEntry,
} from './files.js';
export { benchPublishedPort, type BenchOptions, type PublishedPortBench, type ThroughputResult } from './bench.js';
