/**
 * The registry's side of Audit: `registrySnapshot(reg, history)` builds the plain-data
 * AuditSnapshot (host/audit/snapshot.ts) from the registry tables and the connection history.
 * Warden keeps no CRLs, Cognito pools or IAM role documents, so those lists are empty.
 */
import { parseCertificateFields } from '../audit/cert-fields.ts';
import type { AuditSnapshot, AuditSnapshotSource, CaCertificateRecord, CertificateFields, DeviceCertificateRecord, PolicyDocument, PolicyRecord } from '../audit/snapshot.ts';
import { listCACertificates, listCertificates } from './certificates.ts';
import type { ConnectionHistory } from './connection-history.ts';
import { getPolicy, listPolicies } from './policies.ts';
import type { Registry } from './registry.ts';
import { describeRoleAlias, getLoggingOptions, getV2LoggingOptions, listRoleAliases } from './settings.ts';
import { listThingGroups, listThingGroupsForThing, listThings } from './things.ts';
import { isSignedBy, parseCertificatePem } from './x509.ts';

const fieldsCache = new Map<string, CertificateFields>();
function fields(pem: string, id: string): CertificateFields {
	let f = fieldsCache.get(id);
	if (!f) {
		f = parseCertificateFields(pem);
		if (fieldsCache.size > 100_000) fieldsCache.clear();
		fieldsCache.set(id, f);
	}
	return f;
}

export function registrySnapshot(reg: Registry, history: ConnectionHistory): AuditSnapshotSource {
	return {
		snapshot({ now, connectionsSince }): AuditSnapshot {
			const cas = listCACertificates(reg, { ascendingOrder: true });
			const parsedCas = cas.map((c) => parseCertificatePem(c.certificatePem));
			const caCertificates: CaCertificateRecord[] = cas.map((c, i) => {
				const issuer = parsedCas.findIndex((p, j) => j !== i && isSignedBy(parsedCas[i]!, p));
				return {
					...fields(c.certificatePem, c.certificateId), certificateArn: c.certificateArn, status: c.status,
					issuerId: issuer >= 0 ? cas[issuer]!.certificateId : null, creationDate: c.creationDate, lastModifiedDate: c.lastModifiedDate, pem: c.certificatePem,
				};
			});
			const certificates: DeviceCertificateRecord[] = listCertificates(reg, { ascendingOrder: true }).map((c) => ({
				...fields(c.certificatePem, c.certificateId), certificateArn: c.certificateArn, status: c.status, caCertificateId: c.caCertificateId,
				chain: c.caCertificateId ? [c.caCertificateId] : [], creationDate: c.creationDate, lastModifiedDate: c.lastModifiedDate, pem: c.certificatePem,
			}));
			const policies: PolicyRecord[] = [];
			for (const { policyName } of listPolicies(reg)) {
				const p = getPolicy(reg, policyName);
				let document: PolicyDocument;
				try {
					document = JSON.parse(p.policyDocument) as PolicyDocument;
				} catch {
					continue;
				}
				policies.push({ policyName, policyArn: p.policyArn, defaultVersionId: p.defaultVersionId, document, creationDate: p.creationDate, lastModifiedDate: p.lastModifiedDate });
			}
			const certPrefix = reg.arn('cert/');
			const attachments = (reg.sql('SELECT policy_name, target FROM registry_policy_targets ORDER BY policy_name, target').all() as { policy_name: string; target: string }[])
				.map((r) => ({ policyName: r.policy_name, targetType: r.target.startsWith(certPrefix) ? 'CERTIFICATE' as const : 'THING_GROUP' as const, target: r.target }));
			const principalRows = reg.sql('SELECT thing_name, principal FROM registry_thing_principals').all() as { thing_name: string; principal: string }[];
			const things = listThings(reg).map((t) => ({
				thingName: t.thingName, thingArn: t.thingArn, thingGroups: listThingGroupsForThing(reg, t.thingName),
				principals: principalRows.filter((r) => r.thing_name === t.thingName && r.principal.startsWith(certPrefix)).map((r) => r.principal.slice(certPrefix.length)),
			}));
			const v1 = getLoggingOptions(reg);
			const v2 = getV2LoggingOptions(reg);
			return {
				accountId: reg.scope.accountId,
				region: reg.scope.region,
				takenAt: now,
				certificates,
				caCertificates,
				issuerCertificates: [],
				revocations: [],
				policies,
				policyAttachments: attachments,
				things,
				thingGroups: listThingGroups(reg).map((g) => ({ thingGroupName: g.thingGroupName, thingGroupArn: g.thingGroupArn })),
				roleAliases: listRoleAliases(reg).map((a) => {
					const d = describeRoleAlias(reg, a);
					return { roleAlias: a, roleAliasArn: d.roleAliasArn, roleArn: d.roleArn, rolePolicies: [], servicesUsed: [] };
				}),
				identityPools: [],
				logging: {
					v1: v1 ? { enabled: v1.logLevel !== 'DISABLED', logLevel: v1.logLevel, roleArn: v1.roleArn } : null,
					v2: v2 ? { enabled: !v2.disableAllLogs && v2.defaultLogLevel !== 'DISABLED', defaultLogLevel: v2.defaultLogLevel, roleArn: v2.roleArn } : null,
				},
				connections: history.list(connectionsSince, now),
			};
		},
	};
}
