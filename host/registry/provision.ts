/**
 * Development provisioning used by `warden certs ... --register`: register a CA, or a device
 * certificate with its thing and the standard per-thing policy, in one call.
 */
import { isWardenError } from '../errors.ts';
import { registerCACertificate, registerCertificate } from './certificates.ts';
import { attachPolicy, createPolicy } from './policies.ts';
import { attachThingPrincipal } from './principals.ts';
import type { Registry } from './registry.ts';
import { createThing } from './things.ts';

/** Name of the policy `provisionDevice` attaches. */
export const DEV_THING_POLICY = 'warden-dev-thing-policy';

/**
 * The least-privilege policy AWS recommends for a device: connect only as the thing its
 * certificate is attached to, and use only that thing's `$aws/things/<name>/...` topics.
 */
export function thingPolicyDocument(reg: Registry): string {
	const a = reg.arn('');
	return JSON.stringify({
		Version: '2012-10-17',
		Statement: [
			{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${a}client/\${iot:Connection.Thing.ThingName}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
			{ Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${a}topic/$aws/things/\${iot:Connection.Thing.ThingName}/*` },
			{ Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${a}topicfilter/$aws/things/\${iot:Connection.Thing.ThingName}/*` },
		],
	});
}

function ignoreExists<T>(fn: () => T): T | null {
	try {
		return fn();
	} catch (e) {
		if (isWardenError(e) && e.code === 'WARDEN_ERR_REGISTRY_EXISTS') return null;
		throw e;
	}
}

/** Register a CA certificate as ACTIVE (no error when it is already registered); returns its id. */
export function provisionCa(reg: Registry, caPem: string): string {
	try {
		return registerCACertificate(reg, { caCertificate: caPem, setAsActive: true }).certificateId;
	} catch (e) {
		const id = isWardenError(e) && e.code === 'WARDEN_ERR_REGISTRY_EXISTS' ? e.detail?.resourceId : undefined;
		if (typeof id === 'string') return id;
		throw e;
	}
}

/** Register an ACTIVE device certificate, create its thing, attach both and the per-thing policy. */
export function provisionDevice(reg: Registry, thingName: string, certPem: string, caPem: string): { certificateId: string; certificateArn: string } {
	provisionCa(reg, caPem);
	const cert = registerCertificate(reg, { certificatePem: certPem, caCertificatePem: caPem, setAsActive: true });
	createThing(reg, { thingName });
	attachThingPrincipal(reg, thingName, cert.certificateArn);
	ignoreExists(() => createPolicy(reg, { policyName: DEV_THING_POLICY, policyDocument: thingPolicyDocument(reg) }));
	attachPolicy(reg, DEV_THING_POLICY, cert.certificateArn);
	return cert;
}
