/**
 * Connects the engine's violation events to the alert outbox: one row per destination of the
 * profile's `alertTargets` (plus the optional always-on MQTT topic), written in the event's
 * transaction; after commit the dispatcher is kicked. Suppressed behaviors never reach here
 * (the engine records their events but skips `outboxFor`).
 */
import { randomBytes } from 'node:crypto';
import type { DetectProfile } from '../engine/config-port.ts';
import type { ViolationSink } from '../engine/engine.ts';
import type { OutboxEntry, StoredEvent } from '../store/engine-store.ts';
import { alertBody, type AlertContext } from './alert-body.ts';
import { destinationNameOf, type AlertDestination, type StoredDestination } from './destinations.ts';
import type { AlertDispatcher } from './dispatcher.ts';

export interface AlertSinkOptions extends AlertContext {
	clock: { now(): number };
	destination: (name: string) => AlertDestination | undefined;
	dispatcher: AlertDispatcher;
	/** Also publish every alert to `<prefix>/<securityProfileName>`; empty disables (default `warden/detect/alerts`). */
	alertTopicPrefix?: string;
	log?: (msg: string, fields: Record<string, unknown>) => void;
}

export class AlertSink implements ViolationSink {
	readonly #o: AlertSinkOptions;

	constructor(o: AlertSinkOptions) {
		this.#o = Object.freeze({ alertTopicPrefix: 'warden/detect/alerts', ...o });
	}

	outboxFor(e: StoredEvent, profile: DetectProfile | undefined): OutboxEntry[] {
		const targets: StoredDestination[] = [];
		for (const t of Object.values(profile?.alertTargets ?? {})) {
			if (!t?.alertTargetArn) continue;
			const name = destinationNameOf(t.alertTargetArn);
			const d = this.#o.destination(name);
			if (!d) {
				this.#o.log?.('detect alert target has no destination', { profile: e.profile, alertTargetArn: t.alertTargetArn });
				continue;
			}
			targets.push(d.kind === 'webhook' ? { kind: 'webhook', name, url: d.url } : { kind: 'mqtt', name, topic: d.topic });
		}
		if (this.#o.alertTopicPrefix) targets.push({ kind: 'mqtt', name: '', topic: `${this.#o.alertTopicPrefix}/${e.profile}` });
		const now = this.#o.clock.now();
		return targets.map((d) => {
			const id = randomBytes(16).toString('hex');
			return { id, destination: JSON.stringify(d), body: alertBody(id, e, profile, this.#o), attempts: 0, nextAt: now, createdAt: now };
		});
	}

	committed(): void {
		this.#o.dispatcher.kick();
	}
}
