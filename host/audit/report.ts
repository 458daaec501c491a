/**
 * The console-like audit report: for one completed task (default the latest), the non-compliant
 * checks with severity, the count and percentage of non-compliant resources (suppressed ones
 * shown separately and not counted in the percentage), then the compliant and failed checks.
 */
import { WardenError } from '../errors.ts';
import { getCheck } from './catalogue.ts';
import type { Severity } from './finding.ts';
import type { AuditService } from './service.ts';

export interface AuditReportRow {
	checkName: string;
	severity: Severity;
	nonCompliantResourcesCount: number;
	suppressedNonCompliantResourcesCount: number;
	totalResourcesCount: number;
	/** Unsuppressed non-compliant resources / evaluated resources, in percent (one decimal). */
	percentNonCompliant: number;
}

export interface AuditReport {
	taskId: string;
	taskType: string;
	scheduledAuditName?: string;
	taskStartTime: number;
	nonCompliant: AuditReportRow[];
	compliant: string[];
	failed: { checkName: string; message: string }[];
}

const RANK: Record<Severity, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };

export function auditReport(service: AuditService, taskId?: string): AuditReport {
	const task = taskId
		? service.describeAuditTask(taskId)
		: service.store.listTasks({ startTime: 0, endTime: Number.MAX_SAFE_INTEGER, taskStatus: 'COMPLETED' })[0];
	if (!task) throw new WardenError('WARDEN_ERR_AUDIT_NOT_FOUND', 'no completed audit task yet; run one with `warden audit run`');
	const report: AuditReport = {
		taskId: task.taskId,
		taskType: task.taskType,
		...(task.scheduledAuditName ? { scheduledAuditName: task.scheduledAuditName } : {}),
		taskStartTime: task.taskStartTime,
		nonCompliant: [],
		compliant: [],
		failed: [],
	};
	for (const [checkName, d] of Object.entries(task.auditDetails)) {
		if (d.checkRunStatus === 'COMPLETED_COMPLIANT') report.compliant.push(checkName);
		else if (d.checkRunStatus === 'COMPLETED_NON_COMPLIANT') {
			const total = d.totalResourcesCount ?? 0;
			const suppressed = d.suppressedNonCompliantResourcesCount ?? 0;
			const open = (d.nonCompliantResourcesCount ?? 0) - suppressed;
			report.nonCompliant.push({
				checkName,
				severity: getCheck(checkName).severity,
				nonCompliantResourcesCount: open,
				suppressedNonCompliantResourcesCount: suppressed,
				totalResourcesCount: total,
				percentNonCompliant: total === 0 ? 0 : Math.round((open / total) * 1000) / 10,
			});
		} else report.failed.push({ checkName, message: d.message ?? d.checkRunStatus });
	}
	report.nonCompliant.sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.percentNonCompliant - a.percentNonCompliant || a.checkName.localeCompare(b.checkName));
	report.compliant.sort();
	return report;
}

/** Plain-text rendering for `warden audit report`. */
export function formatAuditReport(r: AuditReport): string {
	const lines = [
		`Audit ${r.taskId} (${r.taskType === 'SCHEDULED_AUDIT_TASK' ? `scheduled: ${r.scheduledAuditName}` : 'on demand'}) started ${new Date(r.taskStartTime).toISOString()}`,
		'',
		`Non-compliant checks: ${r.nonCompliant.length}`,
	];
	if (r.nonCompliant.length > 0) {
		const w = Math.max(...r.nonCompliant.map((x) => x.checkName.length), 10);
		lines.push(`  ${'CHECK'.padEnd(w)}  SEVERITY  NON-COMPLIANT        SUPPRESSED`);
		for (const x of r.nonCompliant) {
			const count = `${x.nonCompliantResourcesCount} of ${x.totalResourcesCount} (${x.percentNonCompliant.toFixed(1)}%)`;
			lines.push(`  ${x.checkName.padEnd(w)}  ${x.severity.padEnd(8)}  ${count.padEnd(19)}  ${x.suppressedNonCompliantResourcesCount}`);
		}
	}
	lines.push('', `Compliant checks: ${r.compliant.length}`, ...r.compliant.map((c) => `  ${c}`));
	if (r.failed.length > 0) lines.push('', `Failed checks: ${r.failed.length}`, ...r.failed.map((f) => `  ${f.checkName}: ${f.message}`));
	return `${lines.join('\n')}\n`;
}
