/**
 * The real MitigationActionsPort over the device registry (host/registry) and the broker
 * (spec §6.1). Deactivating a certificate or CA goes through the registry, whose revocation hook
 * closes the affected sessions at once and refuses their reconnects; policy, group and logging
 * changes are read by the broker's authorization on the next request.
 */
import { updateCACertificate, updateCertificate } from '../registry/certificates.ts';
import { createPolicyVersion, deletePolicyVersion, listPolicyVersions, MAX_POLICY_VERSIONS } from '../registry/policies.ts';
import { listPrincipalThings } from '../registry/principals.ts';
import type { Registry } from '../registry/registry.ts';
import { setV2LoggingOptions } from '../registry/settings.ts';
import { addThingToThingGroup } from '../registry/things.ts';
import type { MitigationActionsPort } from './actions-port.ts';

/** The BLANK_POLICY template: a version that allows nothing (denies every IoT action). */
export const BLANK_POLICY_DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iot:*', Resource: '*' }] });

export interface RegistryActionsOptions {
	registry: Registry;
	/**
	 * Deliver a finding to an alert target. Warden has no SNS: a topic ARN
	 * `arn:aws:sns:<region>:<account>:<name>` is published on the broker topic
	 * `<snsTopicPrefix>/<name>` (QoS 1).
	 */
	publish: (topic: string, payload: string) => Promise<void>;
	/** Broker topic prefix standing in for SNS topics (default `warden/sns`). */
	snsTopicPrefix?: string;
	/** Where delivery failures are reported (publishing is asynchronous). */
	onPublishError?: (e: unknown) => void;
}

export function registryActions(o: RegistryActionsOptions): MitigationActionsPort {
	const reg = o.registry;
	const prefix = o.snsTopicPrefix ?? 'warden/sns';
	return {
		updateCertificateStatus: (id, status) => updateCertificate(reg, id, status),
		updateCaCertificateStatus: (id, status) => updateCACertificate(reg, id, { newStatus: status }),
		replaceDefaultPolicyVersion(policyName) {
			const versions = listPolicyVersions(reg, policyName);
			if (versions.length >= MAX_POLICY_VERSIONS) {
				// Make room: drop the oldest version that is not the default.
				const oldest = versions.filter((v) => !v.isDefaultVersion).sort((a, b) => Number(a.versionId) - Number(b.versionId))[0];
				if (oldest) deletePolicyVersion(reg, policyName, oldest.versionId);
			}
			return createPolicyVersion(reg, policyName, { policyDocument: BLANK_POLICY_DOCUMENT, setAsDefault: true }).policyVersionId;
		},
		thingsForCertificate: (id) => listPrincipalThings(reg, reg.arn(`cert/${id}`)),
		addThingToThingGroups(thing, groups) {
			for (const g of groups) addThingToThingGroup(reg, thing, g);
		},
		enableIoTLogging: (roleArn, level) => setV2LoggingOptions(reg, { roleArn, defaultLogLevel: level, disableAllLogs: false }),
		publishFinding(topicArn, message) {
			const name = /^arn:[^:]+:sns:[^:]*:[^:]*:([^:/]+)$/.exec(topicArn)?.[1] ?? topicArn.replace(/[^a-zA-Z0-9_-]/g, '_');
			o.publish(`${prefix}/${name}`, message).catch((e) => o.onPublishError?.(e));
		},
	};
}
