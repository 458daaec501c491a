/**
 * AWS check IOT_POLICY_POTENTIAL_MIS_CONFIGURATION_CHECK (spec §5.1 #4, §9 item 10; the docs also
 * spell it IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK, accepted as an alias).
 * - a Deny statement uses MQTT wildcards `+`/`#`, which IoT policies match literally;
 * - a Deny on a topic-filter subtree (`a/b/*`) is bypassable because an Allow grants a broader
 *   filter (`a/*`), so the device can subscribe to `a/#`.
 */
import type { AuditCheck, CheckFinding } from '../finding.ts';
import { coversAction, iotResourcePath, statements } from '../policy-analysis.ts';
import { finding } from './cert-helpers.ts';
import { policyResource } from './iot-policy-overly-permissive.ts';

export const NAME = 'IOT_POLICY_POTENTIAL_MIS_CONFIGURATION_CHECK';
export const ALIAS = 'IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK';

const topicPart = (r: string): { type: string; rest: string } | null => {
	const path = iotResourcePath(r);
	const slash = path.indexOf('/');
	if (slash < 0) return null;
	const type = path.slice(0, slash);
	return type === 'topic' || type === 'topicfilter' ? { type, rest: path.slice(slash + 1) } : null;
};

export const check: AuditCheck = {
	name: NAME,
	severity: 'MEDIUM',
	enabledByDefault: true,
	resourcesEvaluated: (s) => s.policies.length,
	run(s) {
		const out: CheckFinding[] = [];
		for (const p of s.policies) {
			const sts = statements(p.document);
			const denies = sts.filter((x) => x.effect === 'Deny' && !x.notResource);
			const wildcard = denies.flatMap((d) => d.resources.filter((r) => {
				const t = topicPart(r);
				return t !== null && t.rest.split('/').some((seg) => seg === '+' || seg === '#');
			}));
			if (wildcard.length > 0) {
				out.push(finding(NAME, 'MEDIUM', policyResource(p, { RESOURCES: wildcard.join(',') }), 'POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT', `Deny statement uses MQTT wildcards, which policies treat literally: ${wildcard.join(', ')}.`));
			}
			const bypass: string[] = [];
			for (const d of denies) {
				if (!coversAction(d, 'iot:Subscribe') && !coversAction(d, 'iot:Receive')) continue;
				for (const r of d.resources) {
					const t = topicPart(r);
					if (!t || !t.rest.endsWith('*')) continue;
					const denied = t.rest.slice(0, -1);
					const allowed = sts.some(
						(a) => a.effect === 'Allow' && coversAction(a, 'iot:Subscribe') && a.resources.some((ar) => {
							const at = topicPart(ar);
							if (!at || at.type !== 'topicfilter' || !at.rest.endsWith('*')) return false;
							const prefix = at.rest.slice(0, -1);
							return prefix.length < denied.length && denied.startsWith(prefix);
						}),
					);
					if (allowed) bypass.push(r);
				}
			}
			if (bypass.length > 0) {
				out.push(finding(NAME, 'MEDIUM', policyResource(p, { RESOURCES: bypass.join(',') }), 'TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS', `Deny on ${bypass.join(', ')} can be bypassed by subscribing with MQTT wildcards to a broader allowed filter.`));
			}
		}
		return out;
	},
};
