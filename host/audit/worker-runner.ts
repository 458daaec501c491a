/**
 * Runs the checks of one audit task in a `node:worker_threads` Worker so that a long audit (the
 * fleet-wide batch GCD takes minutes at 100,000 certificates) never blocks the broker, ingest or
 * the HTTP API of the same process. The snapshot is plain data and is structured-cloned into the
 * worker (BigInt moduli and Sets clone as they are).
 *
 * Running workers are kept per task id in this module, so any AuditService of the process (the
 * HTTP API's and the scheduler's) can cancel a task another one started.
 */
import { Worker } from 'node:worker_threads';
import type { RunChecksInput, RunChecksResult } from './run-checks.ts';

/** What the worker receives: `RunChecksInput` without its functions (windows are precomputed per check). */
export type WorkerAuditInput = Omit<RunChecksInput, 'windowFor' | 'newId'> & {
	windows: Record<string, { from: number; to: number }>;
};

/** Thrown (as the rejection) when a running task's worker was terminated by `terminateAuditWorker`. */
export class AuditWorkerTerminated extends Error {}

const ENTRY = new URL('./check-worker.mjs', import.meta.url);
const running = new Map<string, Worker>();

/** Start the checks of task `input.taskId` in a new worker; resolves with the result. */
export function runChecksInWorker(input: WorkerAuditInput): Promise<RunChecksResult> {
	return new Promise((resolve, reject) => {
		// execArgv [] : the bootstrap registers tsx itself, whether or not the parent ran with --import tsx.
		const worker = new Worker(ENTRY, { workerData: input, execArgv: [] });
		running.set(input.taskId, worker);
		let result: RunChecksResult | undefined;
		let failure: Error | undefined;
		worker.once('message', (m: RunChecksResult) => (result = m));
		worker.once('error', (e) => (failure = e instanceof Error ? e : new Error(String(e))));
		worker.once('exit', (code) => {
			const terminated = running.get(input.taskId) !== worker;
			if (!terminated) running.delete(input.taskId);
			if (terminated) reject(new AuditWorkerTerminated(`audit task ${input.taskId} was canceled`));
			else if (result) resolve(result);
			else reject(failure ?? new Error(`the audit worker exited with code ${code} before it finished`));
		});
	});
}

/** Terminate the worker of a task if one runs in this process; resolves true once it has exited, false if there was none. */
export async function terminateAuditWorker(taskId: string): Promise<boolean> {
	const w = running.get(taskId);
	if (!w) return false;
	running.delete(taskId);
	await w.terminate();
	return true;
}

/** Task ids whose worker is running in this process. */
export function runningAuditWorkers(): string[] {
	return [...running.keys()];
}
