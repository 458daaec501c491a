/**
 * The JSON body of a Detect alert (docs/alerts.md) and its HMAC signature.
 * Signature: `X-Warden-Signature: sha256=<hex HMAC-SHA256(secret, "<X-Warden-Timestamp>.<body>")>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DetectProfile } from '../engine/config-port.ts';
import type { StoredEvent } from '../store/engine-store.ts';

export interface AlertContext {
	readonly accountId: string;
	readonly region: string;
}

export function alertBody(id: string, e: StoredEvent, profile: DetectProfile | undefined, ctx: AlertContext): string {
	return JSON.stringify({
		version: '1.0',
		deliveryId: id,
		accountId: ctx.accountId,
		region: ctx.region,
		violationId: e.violationId,
		violationEventType: e.type,
		violationEventTime: e.at / 1000,
		thingName: e.thing,
		securityProfileName: e.profile,
		securityProfileArn: profile?.arn ?? `arn:aws:iot:${ctx.region}:${ctx.accountId}:securityprofile/${e.profile}`,
		behavior: e.behavior,
		behaviorCriteriaType: e.criteriaType,
		metricValue: e.value ?? undefined,
	});
}

export function signature(secret: string, timestamp: string, body: string): string {
	return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Receiver-side check (used by tests and documented for integrators). */
export function verifySignature(secret: string, timestamp: string, body: string, header: string): boolean {
	const want = Buffer.from(signature(secret, timestamp, body));
	const got = Buffer.from(header);
	return want.length === got.length && timingSafeEqual(want, got);
}
