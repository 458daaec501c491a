/**
 * Body of the audit worker thread (docs/audit.md "Audits run off the event loop"): receives a
 * `WorkerAuditInput` as workerData, runs the checks and posts the `RunChecksResult` back.
 * Finding ids are generated here (32 random hex digits, as AWS finding ids look).
 */
import { randomBytes } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { runChecks } from './run-checks.ts';
import type { WorkerAuditInput } from './worker-runner.ts';

const input = workerData as WorkerAuditInput;
const result = runChecks({
	...input,
	windowFor: (check) => input.windows[check] ?? { from: input.startTime, to: input.startTime },
	newId: () => randomBytes(16).toString('hex'),
});
parentPort!.postMessage(result);
