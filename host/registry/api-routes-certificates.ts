/** HTTP routes (restJson1, AWS IoT paths) for certificates, CA certificates, policies and attachments. */
import type { ApiApp, ApiContext } from '../api/context.ts';
import { checkObject, checkString } from '../api/fields.ts';
import { type ApiCtx, jsonBody, pathParam, queryString } from '../api/request.ts';
import * as certs from './certificates.ts';
import * as pol from './policies.ts';
import { createKeysAndCertificate } from './issuer.ts';
import { call, flag, markerPage, registryOf, sec } from './api-common.ts';

const ID_RULE = { min: 64, max: 66, pattern: /^(0x)?[0-9a-fA-F]{64}$/, patternText: '64 hex characters' };
const POLICY_RULE = { min: 1, max: 128, pattern: /^[\w+=,.@-]+$/, patternText: '[\\w+=,.@-]+' };
const VERSION_RULE = { min: 1, max: 10, pattern: /^[0-9]+$/, patternText: '[0-9]+' };

const optString = (v: unknown, path: string) => (v === undefined || v === null ? undefined : checkString(v, path));

function certDescription(d: certs.CertificateDescription) {
	return {
		certificateArn: d.certificateArn, certificateId: d.certificateId, ...(d.caCertificateId ? { caCertificateId: d.caCertificateId } : {}),
		status: d.status, certificatePem: d.certificatePem, ownedBy: d.ownedBy, creationDate: sec(d.creationDate), lastModifiedDate: sec(d.lastModifiedDate),
		customerVersion: 1, generationId: String(d.lastModifiedDate), validity: { notBefore: sec(d.validity.notBefore), notAfter: sec(d.validity.notAfter) }, certificateMode: d.certificateMode,
	};
}

function certSummaries(list: certs.CertificateDescription[]) {
	return list.map((d) => ({ certificateArn: d.certificateArn, certificateId: d.certificateId, status: d.status, certificateMode: d.certificateMode, creationDate: sec(d.creationDate) }));
}

const body = (c: ApiCtx) => checkObject(jsonBody(c), 'request body');

export function registerRoutes(app: ApiApp, ctx: ApiContext): void {
	const reg = () => registryOf(ctx);

	// ---- CA certificates
	app.post('/cacertificate', (c) => {
		const b = body(c);
		return c.json(call(() => certs.registerCACertificate(reg(), {
			caCertificate: checkString(b.caCertificate, 'caCertificate', { min: 1, max: 65536 }),
			...(b.verificationCertificate !== undefined ? { verificationCertificate: checkString(b.verificationCertificate, 'verificationCertificate') } : {}),
			setAsActive: flag(c, 'setAsActive') ?? false,
			allowAutoRegistration: flag(c, 'allowAutoRegistration') ?? false,
		})));
	});
	app.get('/cacertificate/:certificateId', (c) => {
		const d = call(() => certs.describeCACertificate(reg(), pathParam(c, 'certificateId', ID_RULE)));
		return c.json({ certificateDescription: {
			certificateArn: d.certificateArn, certificateId: d.certificateId, status: d.status, certificatePem: d.certificatePem, ownedBy: d.ownedBy,
			creationDate: sec(d.creationDate), lastModifiedDate: sec(d.lastModifiedDate), autoRegistrationStatus: d.autoRegistrationStatus, customerVersion: 1,
			generationId: String(d.lastModifiedDate), validity: { notBefore: sec(d.validity.notBefore), notAfter: sec(d.validity.notAfter) }, certificateMode: 'DEFAULT',
		} });
	});
	app.put('/cacertificate/:certificateId', (c) => {
		const id = pathParam(c, 'certificateId', ID_RULE);
		const newStatus = queryString(c, 'newStatus');
		const newAutoRegistrationStatus = queryString(c, 'newAutoRegistrationStatus');
		call(() => certs.updateCACertificate(reg(), id, { ...(newStatus ? { newStatus } : {}), ...(newAutoRegistrationStatus ? { newAutoRegistrationStatus } : {}) }));
		return c.json({});
	});
	app.delete('/cacertificate/:certificateId', (c) => {
		call(() => certs.deleteCACertificate(reg(), pathParam(c, 'certificateId', ID_RULE)));
		return c.json({});
	});
	app.get('/cacertificates', (c) => {
		const all = call(() => certs.listCACertificates(reg(), { ascendingOrder: flag(c, 'isAscendingOrder') ?? false }));
		const p = markerPage(c, all, 'ListCACertificates');
		return c.json({ certificates: p.items.map((d) => ({ certificateArn: d.certificateArn, certificateId: d.certificateId, status: d.status, creationDate: sec(d.creationDate) })), ...(p.nextMarker ? { nextMarker: p.nextMarker } : {}) });
	});

	// ---- device certificates
	app.post('/certificate/register', (c) => {
		const b = body(c);
		const status = optString(b.status, 'status');
		const caCertificatePem = optString(b.caCertificatePem, 'caCertificatePem');
		const setAsActive = flag(c, 'setAsActive') ?? (typeof b.setAsActive === 'boolean' ? b.setAsActive : undefined);
		return c.json(call(() => certs.registerCertificate(reg(), {
			certificatePem: checkString(b.certificatePem, 'certificatePem', { min: 1, max: 65536 }),
			...(caCertificatePem ? { caCertificatePem } : {}), ...(status ? { status } : {}), ...(setAsActive !== undefined ? { setAsActive } : {}),
		})));
	});
	app.post('/certificate/register-no-ca', (c) => {
		const b = body(c);
		const status = optString(b.status, 'status');
		return c.json(call(() => certs.registerCertificateWithoutCA(reg(), { certificatePem: checkString(b.certificatePem, 'certificatePem', { min: 1, max: 65536 }), ...(status ? { status } : {}) })));
	});
	app.post('/keys-and-certificate', (c) => c.json(call(() => createKeysAndCertificate(reg(), { setAsActive: flag(c, 'setAsActive') ?? false }))));
	app.get('/certificates/:certificateId', (c) => c.json({ certificateDescription: certDescription(call(() => certs.describeCertificate(reg(), pathParam(c, 'certificateId', ID_RULE)))) }));
	app.put('/certificates/:certificateId', (c) => {
		const id = pathParam(c, 'certificateId', ID_RULE);
		const newStatus = queryString(c, 'newStatus', { required: true })!;
		call(() => certs.updateCertificate(reg(), id, newStatus));
		return c.json({});
	});
	app.delete('/certificates/:certificateId', (c) => {
		const id = pathParam(c, 'certificateId', ID_RULE);
		call(() => certs.deleteCertificate(reg(), id, { forceDelete: flag(c, 'forceDelete') ?? false }));
		return c.json({});
	});
	const listCerts = (c: ApiCtx, caCertificateId?: string) => {
		const all = call(() => certs.listCertificates(reg(), { ascendingOrder: flag(c, 'isAscendingOrder') ?? false, ...(caCertificateId ? { caCertificateId } : {}) }));
		const p = markerPage(c, all, caCertificateId ? 'ListCertificatesByCA' : 'ListCertificates');
		return c.json({ certificates: certSummaries(p.items), ...(p.nextMarker ? { nextMarker: p.nextMarker } : {}) });
	};
	app.get('/certificates', (c) => listCerts(c));
	app.get('/certificates-by-ca/:caCertificateId', (c) => listCerts(c, pathParam(c, 'caCertificateId', ID_RULE)));

	// ---- policies and versions
	app.post('/policies/:policyName', (c) => {
		const name = pathParam(c, 'policyName', POLICY_RULE);
		const b = body(c);
		return c.json(call(() => pol.createPolicy(reg(), { policyName: name, policyDocument: checkString(b.policyDocument, 'policyDocument', { min: 1 }) })));
	});
	app.get('/policies/:policyName', (c) => {
		const p = call(() => pol.getPolicy(reg(), pathParam(c, 'policyName', POLICY_RULE)));
		return c.json({ ...p, creationDate: sec(p.creationDate), lastModifiedDate: sec(p.lastModifiedDate) });
	});
	app.delete('/policies/:policyName', (c) => {
		call(() => pol.deletePolicy(reg(), pathParam(c, 'policyName', POLICY_RULE)));
		return c.json({});
	});
	app.get('/policies', (c) => {
		const all = call(() => pol.listPolicies(reg(), { ascendingOrder: flag(c, 'isAscendingOrder') ?? true }));
		const p = markerPage(c, all, 'ListPolicies');
		return c.json({ policies: p.items, ...(p.nextMarker ? { nextMarker: p.nextMarker } : {}) });
	});
	app.post('/policies/:policyName/version', (c) => {
		const name = pathParam(c, 'policyName', POLICY_RULE);
		const b = body(c);
		return c.json(call(() => pol.createPolicyVersion(reg(), name, { policyDocument: checkString(b.policyDocument, 'policyDocument', { min: 1 }), setAsDefault: flag(c, 'setAsDefault') ?? false })));
	});
	app.get('/policies/:policyName/version', (c) => {
		const v = call(() => pol.listPolicyVersions(reg(), pathParam(c, 'policyName', POLICY_RULE)));
		return c.json({ policyVersions: v.map((x) => ({ ...x, createDate: sec(x.createDate) })) });
	});
	app.get('/policies/:policyName/version/:policyVersionId', (c) => {
		const v = call(() => pol.getPolicyVersion(reg(), pathParam(c, 'policyName', POLICY_RULE), pathParam(c, 'policyVersionId', VERSION_RULE)));
		return c.json({ ...v, creationDate: sec(v.creationDate), lastModifiedDate: sec(v.lastModifiedDate) });
	});
	app.patch('/policies/:policyName/version/:policyVersionId', (c) => {
		call(() => pol.setDefaultPolicyVersion(reg(), pathParam(c, 'policyName', POLICY_RULE), pathParam(c, 'policyVersionId', VERSION_RULE)));
		return c.json({});
	});
	app.delete('/policies/:policyName/version/:policyVersionId', (c) => {
		call(() => pol.deletePolicyVersion(reg(), pathParam(c, 'policyName', POLICY_RULE), pathParam(c, 'policyVersionId', VERSION_RULE)));
		return c.json({});
	});

	// ---- attachments
	app.put('/target-policies/:policyName', (c) => {
		const name = pathParam(c, 'policyName', POLICY_RULE);
		call(() => pol.attachPolicy(reg(), name, checkString(body(c).target, 'target', { min: 1 })));
		return c.json({});
	});
	app.post('/target-policies/:policyName', (c) => {
		const name = pathParam(c, 'policyName', POLICY_RULE);
		call(() => pol.detachPolicy(reg(), name, checkString(body(c).target, 'target', { min: 1 })));
		return c.json({});
	});
	app.post('/attached-policies/:target', (c) => {
		const target = pathParam(c, 'target', { min: 1, max: 2048 });
		const p = markerPage(c, call(() => pol.listAttachedPolicies(reg(), target)), 'ListAttachedPolicies');
		return c.json({ policies: p.items, ...(p.nextMarker ? { nextMarker: p.nextMarker } : {}) });
	});
	app.post('/policy-targets/:policyName', (c) => {
		const name = pathParam(c, 'policyName', POLICY_RULE);
		const p = markerPage(c, call(() => pol.listTargetsForPolicy(reg(), name)), 'ListTargetsForPolicy');
		return c.json({ targets: p.items, ...(p.nextMarker ? { nextMarker: p.nextMarker } : {}) });
	});
}
