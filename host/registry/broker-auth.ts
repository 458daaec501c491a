/**
 * Identity and authorization at the broker. On the mTLS listener a client must present a
 * certificate that is registered and ACTIVE, whose CA (if any) is registered and ACTIVE, and that
 * is inside its validity period; then every CONNECT, PUBLISH, SUBSCRIBE and RECEIVE is evaluated
 * against the IoT policies in effect (host/policy). The broker turns each refusal into a
 * `broker.auth-failure` event (the aws:num-authorization-failures metric). Connections on other
 * listeners (the plaintext development listener) are allowed everything.
 */
import { createHash } from 'node:crypto';
import type { BrokerHooks, ClientContext, Decision } from '../broker/hooks.ts';
import { allowAllHooks } from '../broker/hooks.ts';
import type { WardenBroker } from '../broker/broker.ts';
import { isWardenError } from '../errors.ts';
import type { MqttAction } from '../policy/arn.ts';
import { authorizeMqtt } from '../policy/authorize.ts';
import type { ConnectionFacts } from '../policy/context.ts';
import type { NamedPolicy } from '../policy/evaluate.ts';
import { describeCACertificate, describeCertificate } from './certificates.ts';
import { policiesInEffect } from './policies.ts';
import { listPrincipalThings } from './principals.ts';
import type { Registry } from './registry.ts';
import { describeThing } from './things.ts';
import { type ParsedCertificate, parseCertificatePem } from './x509.ts';

/** Listener name of the mutual-TLS MQTT listener (ClientContext.listener). */
export const MTLS_LISTENER = 'mqtts';

interface AuthState {
	facts: ConnectionFacts;
	policies: readonly NamedPolicy[];
	generation: number;
}

export type CertificateCheck =
	| { ok: true; certificateId: string; parsed: ParsedCertificate }
	| { ok: false; certificateId: string | null; reason: string };

const parsedById = new Map<string, ParsedCertificate>();

/** Is this DER certificate usable right now? (registered, ACTIVE, CA ACTIVE, inside validity) */
export function checkClientCertificate(reg: Registry, der: Buffer | null | undefined): CertificateCheck {
	if (!der || der.length === 0) return { ok: false, certificateId: null, reason: 'no client certificate presented' };
	const id = createHash('sha256').update(der).digest('hex');
	let cert;
	try {
		cert = describeCertificate(reg, id);
	} catch (e) {
		if (isWardenError(e) && e.code === 'WARDEN_ERR_REGISTRY_NOT_FOUND') return { ok: false, certificateId: id, reason: `certificate ${id} is not registered` };
		throw e;
	}
	if (cert.status !== 'ACTIVE') return { ok: false, certificateId: id, reason: `certificate ${id} is ${cert.status}` };
	if (cert.caCertificateId) {
		let caStatus: string;
		try {
			caStatus = describeCACertificate(reg, cert.caCertificateId).status;
		} catch {
			caStatus = 'not registered';
		}
		if (caStatus !== 'ACTIVE') return { ok: false, certificateId: id, reason: `CA certificate ${cert.caCertificateId} of certificate ${id} is ${caStatus}` };
	}
	const now = reg.clock.now();
	// RFC 5280 §4.1.2.5: valid from notBefore through notAfter inclusive
	if (now < cert.validity.notBefore) return { ok: false, certificateId: id, reason: `certificate ${id} is not valid before ${new Date(cert.validity.notBefore).toISOString()}` };
	if (now > cert.validity.notAfter) return { ok: false, certificateId: id, reason: `certificate ${id} expired at ${new Date(cert.validity.notAfter).toISOString()}` };
	let parsed = parsedById.get(id);
	if (!parsed) {
		parsed = parseCertificatePem(cert.certificatePem);
		if (parsedById.size > 10_000) parsedById.clear();
		parsedById.set(id, parsed);
	}
	return { ok: true, certificateId: id, parsed };
}

/** Facts for policy variables: the thing is the one named by the client id, if attached to this certificate. */
function connectionFacts(reg: Registry, ctx: ClientContext, parsed: ParsedCertificate): ConnectionFacts {
	const attached = listPrincipalThings(reg, reg.arn(`cert/${parsed.id}`));
	const isAttached = attached.includes(ctx.clientId);
	const thing = isAttached ? describeThing(reg, ctx.clientId) : null;
	return {
		clientId: ctx.clientId,
		thingName: thing?.thingName ?? null,
		thingTypeName: thing?.thingTypeName ?? null,
		isAttached,
		thingAttributes: thing?.attributes ?? {},
		certificate: { subject: parsed.subject, issuer: parsed.issuer, serialNumber: parsed.serialNumber, notBefore: parsed.notBefore, notAfter: parsed.notAfter },
		sourceIp: ctx.sourceIp || null,
	};
}

function stateOf(reg: Registry, ctx: ClientContext): AuthState | null {
	const st = ctx.identity.attributes?.auth as AuthState | undefined;
	if (!st) return null;
	if (st.generation !== reg.generation) {
		// policies, attachments, groups or things changed since the last request: re-read them
		const parsed = parsedById.get(ctx.identity.certificateId ?? '');
		if (parsed) st.facts = connectionFacts(reg, ctx, parsed);
		st.policies = policiesInEffect(reg, ctx.identity.certificateId, st.facts.thingName ?? null);
		st.generation = reg.generation;
	}
	return st;
}

function decide(reg: Registry, ctx: ClientContext, action: MqttAction, name: string): Decision {
	if (ctx.listener !== MTLS_LISTENER) return { allow: true };
	const st = stateOf(reg, ctx);
	if (!st) return { allow: false, reason: 'connection is not authenticated' };
	const r = authorizeMqtt(st.policies, reg.scope, action, name, st.facts);
	if (r.decision === 'ALLOW') return { allow: true };
	return { allow: false, reason: r.decision === 'EXPLICIT_DENY' ? `explicitly denied by policy ${r.policyName} on ${r.resource}` : `no policy allows ${action} on ${r.resource}` };
}

/** Broker hooks backed by the registry and the IoT policy evaluator. */
export function registryHooks(reg: Registry): BrokerHooks {
	return {
		authenticate(ctx, creds) {
			if (ctx.listener !== MTLS_LISTENER) return allowAllHooks.authenticate(ctx, creds);
			const check = checkClientCertificate(reg, ctx.peerCertificate?.raw);
			if (!check.ok) return { ok: false, reason: check.reason, returnCode: 5 };
			const facts = connectionFacts(reg, ctx, check.parsed);
			const policies = policiesInEffect(reg, check.certificateId, facts.thingName ?? null);
			const r = authorizeMqtt(policies, reg.scope, 'connect', ctx.clientId, facts);
			if (r.decision !== 'ALLOW') return { ok: false, reason: r.decision === 'EXPLICIT_DENY' ? `connect explicitly denied by policy ${r.policyName}` : `no policy allows iot:Connect on ${r.resource}`, returnCode: 5 };
			const auth: AuthState = { facts, policies, generation: reg.generation };
			return { ok: true, thingName: facts.thingName ?? null, certificateId: check.certificateId, attributes: { auth } };
		},
		authorizePublish: (ctx, topic) => decide(reg, ctx, 'publish', topic),
		authorizeSubscribe: (ctx, filter) => decide(reg, ctx, 'subscribe', filter),
		authorizeReceive: (ctx, topic) => decide(reg, ctx, 'receive', topic),
	};
}

/** Close every live session authenticated by one of `certificateIds`; returns how many were closed. */
export function disconnectCertificateClients(broker: WardenBroker, certificateIds: readonly string[], reason: string): number {
	const ids = new Set(certificateIds);
	let n = 0;
	for (const c of broker.clients()) {
		if (c.identity.certificateId && ids.has(c.identity.certificateId) && broker.disconnect(c.clientId, reason)) n++;
	}
	return n;
}

/**
 * Install the registry hooks on `broker` and close sessions at once when their certificate or CA
 * leaves ACTIVE (UpdateCertificate, UpdateCACertificate, DeleteCertificate, mitigation actions).
 * Returns an uninstall function.
 */
export function installRegistryAuth(broker: WardenBroker, reg: Registry): () => void {
	broker.setHooks(registryHooks(reg));
	return reg.onRevocation((r) => {
		const what = r.caCertificateId ? `CA certificate ${r.caCertificateId} is ${r.status}` : `certificate is ${r.status}`;
		disconnectCertificateClients(broker, r.certificateIds, what);
	});
}
