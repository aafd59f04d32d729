export { Scheduler, type TimerId, type EventFn } from './scheduler';
export { Rng, RngStreams, hashString } from './rng';
export { runAsFastAsPossible, runUntilTime, singleStep, RealTimeDriver, clampSpeed, MIN_SPEED, MAX_SPEED, type WallClock } from './drivers';
