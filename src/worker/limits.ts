// Resource limits for the engine's worker thread (Electron main, CLI): a runaway network
// (a zero-delay switch loop, a flood) ends the worker with ERR_WORKER_OUT_OF_MEMORY instead
// of taking the host process down. Node-only type; values only, no logic.
import type { ResourceLimits } from 'node:worker_threads';

export const ENGINE_RESOURCE_LIMITS: ResourceLimits = {
  /** Old-generation heap of the engine: big labs use a few hundred MB; 1.5 GB is far past that. */
  maxOldGenerationSizeMb: 1536,
  maxYoungGenerationSizeMb: 64,
  /** Deep recursion fails as a RangeError inside the engine, not a crash of the host. */
  stackSizeMb: 8,
};

/** Says why a worker ended, for people (the error from `error`, or the exit code). */
export function describeWorkerDeath(err: Error | null, exitCode: number): string {
  const code = (err as (Error & { code?: string }) | null)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return 'the engine ran out of memory (its limit protects the rest of the app)';
  if (err) return `the engine failed: ${err.message}`;
  return `the engine exited with code ${exitCode}`;
}
