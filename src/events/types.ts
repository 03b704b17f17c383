export type { EngineEvent, EventBus } from '../engine/types.js';
