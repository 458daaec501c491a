/**
 * Detect violations for the Detect mitigation task (spec §6.3), read through Detect's store port:
 * every violation that went in alarm within the range, plus the active ones that started in it.
 */
import type { DetectStore, StoredEvent, StoredViolation } from '../detect/store/engine-store.ts';
import type { ViolationRef, ViolationSource } from './types.ts';

function drain<T>(page: (cursor?: string) => { items: T[]; next?: string }): T[] {
	const out: T[] = [];
	let cursor: string | undefined;
	do {
		const p = page(cursor);
		out.push(...p.items);
		cursor = p.next;
	} while (cursor !== undefined);
	return out;
}

export function detectViolations(store: DetectStore): ViolationSource {
	return {
		list(f) {
			const filter = { ...(f.securityProfileName ? { securityProfileName: f.securityProfileName } : {}), listSuppressedAlerts: true };
			const active = drain<StoredViolation>((c) => store.listActiveViolations(filter, 500, c));
			const activeIds = new Set(active.map((v) => v.violationId));
			const byId = new Map<string, ViolationRef>();
			const add = (v: StoredViolation | StoredEvent, startTime: number) => {
				if (byId.has(v.violationId)) return;
				byId.set(v.violationId, {
					violationId: v.violationId, thingName: v.thing, securityProfileName: v.profile, behaviorName: v.behavior.name ?? '',
					suppressed: v.suppressed, active: activeIds.has(v.violationId), startTime,
				});
			};
			for (const v of active) if (v.startTime >= f.start && v.startTime <= f.end) add(v, v.startTime);
			for (const e of drain<StoredEvent>((c) => store.listViolationEvents({ ...filter, start: f.start, end: f.end }, 500, c))) {
				if (e.type === 'in-alarm') add(e, e.at);
			}
			return [...byId.values()].filter((v) => (!f.violationIds || f.violationIds.includes(v.violationId)) && (!f.behaviorName || v.behaviorName === f.behaviorName));
		},
	};
}
