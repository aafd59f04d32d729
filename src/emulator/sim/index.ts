export { Scheduler, SimStall, type TimerId, type EventFn } from './scheduler';
export { Rng, RngStreams, hashString } from './rng';
export { RealTimeDriver, clampSpeed, MIN_SPEED, MAX_SPEED, type WallClock } from './drivers';
