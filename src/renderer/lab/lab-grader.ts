// The grader the editor uses: the engine's `lab/grade` request on an engine of its own (a
// Web Worker running src/worker/web-host.ts), so grading never pauses the running network
// and never shares request ids with run mode's port. A crashed worker is replaced.
import { EngineClient, workerPort } from '../run/engine-client';
import type { LabGrader } from './lab-store';

/** A grade of a small lab takes well under a second; this only catches a hung worker. */
const GRADE_TIMEOUT_MS = 60_000;

export function workerGrader(): LabGrader {
  let client: EngineClient | null = null;
  return (req) => {
    if (!client || client.crashed) {
      client?.close();
      client = new EngineClient(workerPort(new Worker(new URL('../../worker/web-host.ts', import.meta.url), { type: 'module' })), GRADE_TIMEOUT_MS);
    }
    return client.request({ type: 'lab/grade', lab: req.lab, start: req.start, work: req.work, commands: req.commands });
  };
}
