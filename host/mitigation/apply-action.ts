/**
 * Applying one mitigation action to one audit finding or one Detect violation through the
 * actions port (spec §6.1 "What each action touches").
 */
import type { AuditFinding } from '../audit/types.ts';
import type { MitigationActionsPort } from './actions-port.ts';
import type { MitigationAction, ViolationRef } from './types.ts';

/** Thrown when an action does not fit the finding's resource: the execution is SKIPPED, not FAILED. */
export class NotApplicable extends Error {
	override name = 'NotApplicable' as const;
}

function deviceCertificates(f: AuditFinding): string[] {
	const r = f.nonCompliantResource;
	if (r.resourceType === 'DEVICE_CERTIFICATE' && r.resourceIdentifier.deviceCertificateId) return [r.resourceIdentifier.deviceCertificateId.replace(/^0x/i, '').toLowerCase()];
	// INTERMEDIATE_CA_REVOKED_...: the affected device certificates are the related resources.
	if (r.resourceType === 'ISSUER_CERTIFICATE') {
		return f.relatedResources.filter((x) => x.resourceType === 'DEVICE_CERTIFICATE' && x.resourceIdentifier.deviceCertificateId).map((x) => x.resourceIdentifier.deviceCertificateId!);
	}
	throw new NotApplicable(`the finding's resource is a ${r.resourceType}, not a device certificate`);
}

export function findingMessage(f: AuditFinding): string {
	return JSON.stringify({
		findingId: f.findingId,
		taskId: f.taskId,
		checkName: f.checkName,
		severity: f.severity,
		taskStartTime: f.taskStartTime / 1000,
		findingTime: f.findingTime / 1000,
		nonCompliantResource: f.nonCompliantResource,
		relatedResources: f.relatedResources.slice(0, 10),
		reasonForNonComplianceCode: f.reasonForNonComplianceCode,
		reasonForNonCompliance: f.reasonForNonCompliance,
	});
}

export function applyToFinding(port: MitigationActionsPort, a: MitigationAction, f: AuditFinding): void {
	const p = a.actionParams;
	const r = f.nonCompliantResource;
	switch (a.actionType) {
		case 'UPDATE_DEVICE_CERTIFICATE':
			for (const id of deviceCertificates(f)) port.updateCertificateStatus(id, 'INACTIVE');
			return;
		case 'UPDATE_CA_CERTIFICATE':
			if (r.resourceType !== 'CA_CERTIFICATE' || !r.resourceIdentifier.caCertificateId) throw new NotApplicable(`the finding's resource is a ${r.resourceType}, not a CA certificate`);
			port.updateCaCertificateStatus(r.resourceIdentifier.caCertificateId, 'INACTIVE');
			return;
		case 'ADD_THINGS_TO_THING_GROUP': {
			const params = p.addThingsToThingGroupParams!;
			for (const cert of deviceCertificates(f)) {
				for (const thing of port.thingsForCertificate(cert)) port.addThingToThingGroups(thing, params.thingGroupNames, params.overrideDynamicGroups ?? false);
			}
			return;
		}
		case 'REPLACE_DEFAULT_POLICY_VERSION': {
			const policy = r.resourceIdentifier.policyVersionIdentifier?.policyName;
			if (!policy) throw new NotApplicable(`the finding's resource is a ${r.resourceType}, not an IoT policy`);
			port.replaceDefaultPolicyVersion(policy, p.replaceDefaultPolicyVersionParams!.templateName);
			return;
		}
		case 'ENABLE_IOT_LOGGING':
			port.enableIoTLogging(p.enableIoTLoggingParams!.roleArnForLogging, p.enableIoTLoggingParams!.logLevel);
			return;
		case 'PUBLISH_FINDING_TO_SNS':
			port.publishFinding(p.publishFindingToSnsParams!.topicArn, findingMessage(f));
			return;
	}
}

/** Detect violations accept only ADD_THINGS_TO_THING_GROUP (spec §6.1), applied to the violating thing. */
export function applyToViolation(port: MitigationActionsPort, a: MitigationAction, v: ViolationRef): void {
	if (a.actionType !== 'ADD_THINGS_TO_THING_GROUP') throw new NotApplicable(`${a.actionType} cannot be applied to Detect violations`);
	const params = a.actionParams.addThingsToThingGroupParams!;
	port.addThingToThingGroups(v.thingName, params.thingGroupNames, params.overrideDynamicGroups ?? false);
}
