/**
 * Audit suppressions (spec §5.6): key = check name + resource identifier; expiring or indefinite.
 * Matching findings of later tasks are marked suppressed (host/audit/run-checks.ts). The base of
 * AuditService, which adds configuration, tasks and schedules.
 */
import type { Clock } from '../clock.ts';
import { WardenError } from '../errors.ts';
import { resourceKey, type ResourceIdentifier } from './finding.ts';
import { paginate, type Page } from './paging.ts';
import type { AuditStore } from './store.ts';
import type { AuditSuppression } from './types.ts';
import * as v from './validate.ts';

const notFound = (message: string) => new WardenError('WARDEN_ERR_AUDIT_NOT_FOUND', message);

export class AuditSuppressions {
	protected readonly auditStore: AuditStore;
	protected readonly auditClock: Clock;

	constructor(store: AuditStore, clock: Clock) {
		this.auditStore = store;
		this.auditClock = clock;
	}


	createAuditSuppression(input: { checkName: unknown; resourceIdentifier: unknown; expirationDate?: number; suppressIndefinitely?: boolean; description?: string; clientRequestToken?: string }): void {
		const s = this.#build(input);
		const existing = this.auditStore.getSuppression(s.checkName, resourceKey(s.resourceIdentifier));
		if (existing) {
			if (input.clientRequestToken !== undefined && existing.clientRequestToken === input.clientRequestToken) return; // idempotent retry
			throw new WardenError('WARDEN_ERR_AUDIT_EXISTS', `a suppression for ${s.checkName} on that resource already exists`, { resourceId: s.checkName });
		}
		this.auditStore.putSuppression(s);
	}

	#build(input: { checkName: unknown; resourceIdentifier: unknown; expirationDate?: number; suppressIndefinitely?: boolean; description?: string; clientRequestToken?: string }): AuditSuppression {
		const checkName = v.checkName(input.checkName);
		const resourceIdentifier = v.resourceIdentifier(input.resourceIdentifier);
		const indefinite = input.suppressIndefinitely ?? input.expirationDate === undefined;
		if (indefinite && input.expirationDate !== undefined) throw v.invalid('give expirationDate or suppressIndefinitely=true, not both');
		if (input.expirationDate !== undefined && input.expirationDate <= this.auditClock.now()) throw v.invalid('expirationDate must be in the future');
		if (input.description !== undefined && input.description.length > 1000) throw v.invalid('description must be at most 1000 characters');
		return {
			checkName,
			resourceIdentifier,
			...(input.expirationDate !== undefined ? { expirationDate: input.expirationDate } : {}),
			suppressIndefinitely: indefinite,
			...(input.description !== undefined ? { description: input.description } : {}),
			...(input.clientRequestToken !== undefined ? { clientRequestToken: input.clientRequestToken } : {}),
			createdAt: this.auditClock.now(),
		};
	}

	describeAuditSuppression(checkName: unknown, resourceIdentifier: unknown): AuditSuppression {
		const name = v.checkName(checkName);
		const s = this.auditStore.getSuppression(name, resourceKey(v.resourceIdentifier(resourceIdentifier)));
		if (!s) throw notFound(`no suppression for ${name} on that resource`);
		return s;
	}

	updateAuditSuppression(input: { checkName: unknown; resourceIdentifier: unknown; expirationDate?: number; suppressIndefinitely?: boolean; description?: string }): void {
		const prev = this.describeAuditSuppression(input.checkName, input.resourceIdentifier);
		const merged = this.#build({
			checkName: prev.checkName,
			resourceIdentifier: prev.resourceIdentifier,
			...(input.expirationDate !== undefined ? { expirationDate: input.expirationDate } : input.suppressIndefinitely ? {} : prev.expirationDate !== undefined ? { expirationDate: prev.expirationDate } : {}),
			...(input.suppressIndefinitely !== undefined ? { suppressIndefinitely: input.suppressIndefinitely } : input.expirationDate !== undefined ? { suppressIndefinitely: false } : { suppressIndefinitely: prev.suppressIndefinitely }),
			...(input.description !== undefined ? { description: input.description } : prev.description !== undefined ? { description: prev.description } : {}),
			...(prev.clientRequestToken !== undefined ? { clientRequestToken: prev.clientRequestToken } : {}),
		});
		this.auditStore.putSuppression({ ...merged, createdAt: prev.createdAt });
	}

	deleteAuditSuppression(checkName: unknown, resourceIdentifier: unknown): void {
		this.auditStore.deleteSuppression(v.checkName(checkName), resourceKey(v.resourceIdentifier(resourceIdentifier)));
	}

	listAuditSuppressions(f: { checkName?: string; resourceIdentifier?: ResourceIdentifier; ascendingOrder?: boolean; nextToken?: string; maxResults?: number }): Page<AuditSuppression> {
		const all = this.auditStore.listSuppressions({
			...(f.checkName !== undefined ? { checkName: v.checkName(f.checkName) } : {}),
			...(f.resourceIdentifier ? { resourceKey: resourceKey(f.resourceIdentifier) } : {}),
			ascending: f.ascendingOrder ?? true,
		});
		return paginate(all, f.nextToken, f.maxResults ?? 25);
	}
}
