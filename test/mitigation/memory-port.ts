/** An in-memory MitigationActionsPort for tests: records calls, holds a tiny registry, fails on request. */
import type { MitigationActionsPort } from '../../host/mitigation/actions-port.ts';

export class MemoryPort implements MitigationActionsPort {
	certStatus = new Map<string, string>();
	caStatus = new Map<string, string>();
	policyVersions = new Map<string, string[]>();
	thingsByCert = new Map<string, string[]>();
	groups = new Map<string, Set<string>>();
	logging: { roleArn: string; level: string } | null = null;
	published: { topicArn: string; message: string }[] = [];
	calls: string[] = [];
	/** Certificate ids whose update throws. */
	failCerts = new Set<string>();

	updateCertificateStatus(id: string, status: 'INACTIVE'): void {
		this.calls.push(`cert ${id.slice(0, 4)} ${status}`);
		if (this.failCerts.has(id)) throw Object.assign(new Error(`certificate ${id} is locked`), { code: 'WARDEN_ERR_REGISTRY_CONFLICT' });
		this.certStatus.set(id, status);
	}
	updateCaCertificateStatus(id: string, status: 'INACTIVE'): void {
		this.calls.push(`ca ${id.slice(0, 4)} ${status}`);
		this.caStatus.set(id, status);
	}
	replaceDefaultPolicyVersion(policyName: string, templateName: 'BLANK_POLICY'): string {
		this.calls.push(`policy ${policyName} ${templateName}`);
		const v = this.policyVersions.get(policyName) ?? ['1'];
		v.push(String(v.length + 1));
		this.policyVersions.set(policyName, v);
		return v.at(-1)!;
	}
	thingsForCertificate(id: string): string[] {
		return this.thingsByCert.get(id) ?? [];
	}
	addThingToThingGroups(thing: string, groups: readonly string[]): void {
		this.calls.push(`group ${thing} ${groups.join(',')}`);
		for (const g of groups) {
			const s = this.groups.get(g) ?? new Set();
			s.add(thing);
			this.groups.set(g, s);
		}
	}
	enableIoTLogging(roleArn: string, level: string): void {
		this.calls.push(`logging ${level}`);
		this.logging = { roleArn, level };
	}
	publishFinding(topicArn: string, message: string): void {
		this.calls.push(`publish ${topicArn}`);
		this.published.push({ topicArn, message });
	}
}
