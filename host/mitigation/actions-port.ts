/**
 * What mitigation actions do to the rest of Warden (spec §6.1). The registry / broker side
 * implements this port (host/mitigation/registry-actions.ts); tests use an in-memory one.
 * Every method throws (any error) when the target cannot be changed; the task records the
 * failure and goes on with the next finding.
 */
export interface MitigationActionsPort {
	/** UPDATE_DEVICE_CERTIFICATE: set a device certificate INACTIVE; its sessions are closed at once and it cannot reconnect. */
	updateCertificateStatus(certificateId: string, status: 'INACTIVE'): void;
	/** UPDATE_CA_CERTIFICATE: set a CA certificate INACTIVE; devices it signed are disconnected and refused. */
	updateCaCertificateStatus(caCertificateId: string, status: 'INACTIVE'): void;
	/** REPLACE_DEFAULT_POLICY_VERSION: create a new default version of the policy from the template (BLANK_POLICY). Returns the new version id. */
	replaceDefaultPolicyVersion(policyName: string, templateName: 'BLANK_POLICY'): string;
	/** The things attached to a certificate (ListPrincipalThings), for ADD_THINGS_TO_THING_GROUP on certificate findings. */
	thingsForCertificate(certificateId: string): string[];
	/** ADD_THINGS_TO_THING_GROUP: add a thing to static groups; the groups' policies apply on its next request. */
	addThingToThingGroups(thingName: string, thingGroupNames: readonly string[], overrideDynamicGroups: boolean): void;
	/** ENABLE_IOT_LOGGING: turn v2 logging on at `logLevel`. */
	enableIoTLogging(roleArnForLogging: string, logLevel: 'DEBUG' | 'INFO' | 'ERROR' | 'WARN'): void;
	/** PUBLISH_FINDING_TO_SNS: deliver `message` (JSON text) to the alert target `topicArn`. */
	publishFinding(topicArn: string, message: string): void;
}
