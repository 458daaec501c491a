/**
 * Running a set of checks over one snapshot (spec §5.4, §5.6): per-check details, task statistics,
 * findings with their suppression flag. Pure apart from the ids it is given.
 */
import { getCheck } from './catalogue.ts';
import { resourceKey, type CheckContext } from './finding.ts';
import type { AuditSnapshot } from './snapshot.ts';
import type { AuditCheckDetails, AuditFinding, AuditSuppression, TaskStatistics } from './types.ts';

export interface RunChecksInput {
	snapshot: AuditSnapshot;
	checkNames: readonly string[];
	taskId: string;
	startTime: number;
	/** Per-check configuration maps. */
	configs: Readonly<Record<string, Readonly<Record<string, string>>>>;
	/** Connection window per check name (the two connection checks differ, spec §5.2). */
	windowFor: (checkName: string) => { from: number; to: number };
	suppressions: readonly AuditSuppression[];
	debianWeakKeys?: ReadonlySet<string> | undefined;
	newId: () => string;
}

export interface RunChecksResult {
	details: Record<string, AuditCheckDetails>;
	statistics: TaskStatistics;
	findings: AuditFinding[];
}

/** Is the suppression in force at `now` (indefinite, or expiring later)? */
export function suppressionActive(s: AuditSuppression, now: number): boolean {
	return s.suppressIndefinitely || s.expirationDate === undefined || s.expirationDate > now;
}

export function emptyStatistics(total: number): TaskStatistics {
	return { totalChecks: total, inProgressChecks: 0, waitingForDataCollectionChecks: 0, compliantChecks: 0, nonCompliantChecks: 0, failedChecks: 0, canceledChecks: 0 };
}

export function runChecks(input: RunChecksInput): RunChecksResult {
	const { snapshot, startTime } = input;
	const active = new Set(input.suppressions.filter((s) => suppressionActive(s, startTime)).map((s) => `${s.checkName}|${resourceKey(s.resourceIdentifier)}`));
	const details: Record<string, AuditCheckDetails> = {};
	const statistics = emptyStatistics(input.checkNames.length);
	const findings: AuditFinding[] = [];
	for (const name of input.checkNames) {
		const check = getCheck(name);
		const ctx: CheckContext = {
			now: startTime,
			config: input.configs[check.name] ?? {},
			connectionWindow: input.windowFor(check.name),
			...(input.debianWeakKeys ? { debianWeakKeys: input.debianWeakKeys } : {}),
		};
		try {
			const total = check.resourcesEvaluated(snapshot, ctx);
			const found = check.run(snapshot, ctx);
			const nonCompliant = new Set<string>();
			const suppressed = new Set<string>();
			for (const f of found) {
				const key = resourceKey(f.nonCompliantResource.resourceIdentifier);
				const isSuppressed = active.has(`${check.name}|${key}`);
				(isSuppressed ? suppressed : nonCompliant).add(key);
				findings.push({ ...f, findingId: input.newId(), taskId: input.taskId, taskStartTime: startTime, findingTime: startTime, isSuppressed });
			}
			for (const k of nonCompliant) suppressed.delete(k);
			const compliant = nonCompliant.size === 0;
			details[check.name] = {
				checkRunStatus: compliant ? 'COMPLETED_COMPLIANT' : 'COMPLETED_NON_COMPLIANT',
				checkCompliant: compliant,
				totalResourcesCount: Math.max(total, nonCompliant.size + suppressed.size),
				// Suppressed resources stay non-compliant but do not decide compliance (spec §5.6).
				nonCompliantResourcesCount: nonCompliant.size + suppressed.size,
				suppressedNonCompliantResourcesCount: suppressed.size,
			};
			if (compliant) statistics.compliantChecks++;
			else statistics.nonCompliantChecks++;
		} catch (e) {
			details[check.name] = { checkRunStatus: 'FAILED', message: String((e as Error)?.message ?? e).slice(0, 2048) };
			statistics.failedChecks++;
		}
	}
	return { details, statistics, findings };
}
