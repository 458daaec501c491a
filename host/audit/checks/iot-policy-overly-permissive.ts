/**
 * AWS check IOT_POLICY_OVERLY_PERMISSIVE_CHECK (spec §5.1 #3, §5.2): the default version of a policy
 * allows MQTT connect/publish/subscribe or shadow/job actions on a broad set of devices.
 */
import type { AuditCheck, CheckFinding } from '../finding.ts';
import { MQTT_ACTIONS, THING_DATA_ACTIONS, coversAction, isBroadResource, statements } from '../policy-analysis.ts';
import type { PolicyRecord } from '../snapshot.ts';
import { finding } from './cert-helpers.ts';

export const NAME = 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK';

/** The actions a policy grants broadly (empty = compliant). */
export function broadDataPlaneGrants(docStatements: ReturnType<typeof statements>): string[] {
	const out = new Set<string>();
	for (const s of docStatements) {
		if (s.effect !== 'Allow') continue;
		for (const action of [...MQTT_ACTIONS, ...THING_DATA_ACTIONS]) {
			if (!coversAction(s, action)) continue;
			if (s.notResource || s.resources.some((r) => isBroadResource(action, r, s.condition))) out.add(action);
		}
	}
	return [...out];
}

export function policyResource(p: PolicyRecord, additionalInfo?: Record<string, string>) {
	return {
		resourceType: 'IOT_POLICY' as const,
		resourceIdentifier: { policyVersionIdentifier: { policyName: p.policyName, policyVersionId: p.defaultVersionId } },
		...(additionalInfo ? { additionalInfo } : {}),
	};
}

export const check: AuditCheck = {
	name: NAME,
	severity: 'CRITICAL',
	enabledByDefault: true,
	resourcesEvaluated: (s) => s.policies.length,
	run(s) {
		const out: CheckFinding[] = [];
		for (const p of s.policies) {
			const broad = broadDataPlaneGrants(statements(p.document));
			if (broad.length === 0) continue;
			out.push(
				finding(NAME, 'CRITICAL', policyResource(p, { BROAD_ACTIONS: broad.join(',') }), 'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS', `Policy allows broad access to IoT data plane actions: ${broad.join(', ')}.`),
			);
		}
		return out;
	},
};
