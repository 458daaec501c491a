/**
 * The mitigation feature (spec §6): action definitions and the audit / Detect mitigation tasks,
 * wired over one store, the audit store (findings) and the actions port.
 */
import type { Clock } from '../clock.ts';
import type { AuditStore } from '../audit/store.ts';
import { MitigationActions } from './actions.ts';
import type { MitigationActionsPort } from './actions-port.ts';
import { AuditMitigationTasks } from './audit-tasks.ts';
import { DetectMitigationTasks } from './detect-tasks.ts';
import type { MitigationStore } from './store.ts';
import type { ViolationSource } from './types.ts';

export interface MitigationServiceOptions {
	store: MitigationStore;
	/** Where audit findings are read from. */
	audit: AuditStore;
	/** The registry / broker implementation of the six action types. */
	port: MitigationActionsPort;
	clock: Clock;
	/** Detect violations (for StartDetectMitigationActionsTask). */
	violations?: ViolationSource;
	/** Account id and region for ARNs (defaults 123456789012, us-east-1). */
	accountId?: string;
	region?: string;
}

export interface MitigationService {
	readonly actions: MitigationActions;
	readonly auditTasks: AuditMitigationTasks;
	readonly detectTasks: DetectMitigationTasks;
}

export function createMitigationService(o: MitigationServiceOptions): MitigationService {
	const arn = (r: string) => `arn:aws:iot:${o.region ?? 'us-east-1'}:${o.accountId ?? '123456789012'}:${r}`;
	const actions = new MitigationActions(o.store, o.clock, arn);
	return Object.freeze({
		actions,
		auditTasks: new AuditMitigationTasks({ store: o.store, audit: o.audit, actions, port: o.port, clock: o.clock }),
		detectTasks: new DetectMitigationTasks({ store: o.store, actions, port: o.port, clock: o.clock, violations: o.violations }),
	});
}
