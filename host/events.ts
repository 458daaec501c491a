/**
 * The service's internal event bus: the broker and ingest publish facts, Detect, Audit's
 * connection history and the console subscribe. Producers never wait on consumers; a consumer
 * that throws is logged and does not affect others. Times are Unix ms from the service's Clock.
 */
import { EventEmitter } from 'node:events';
import type { DeviceReport, ReportFormat } from './ingest/report-types.ts';

export interface WardenEvents {
	/** A report passed validation and is durably stored (the ACCEPTED reply goes out after this). */
	'report.accepted': { thingName: string; clientId: string; reportId: number; format: ReportFormat; report: DeviceReport; at: number };
	/** A report was answered REJECTED. */
	'report.rejected': { thingName: string; clientId: string; reportId: number | null; format: ReportFormat; errorCode: string; message: string; at: number };
	/** An MQTT CONNECT arrived (before authentication). */
	'broker.connect-attempt': { clientId: string; sourceIp: string; at: number };
	/** A client is connected and authenticated. */
	'broker.connect': { clientId: string; sourceIp: string; certificateId: string | null; thingName: string | null; at: number };
	/** A client's connection ended (clean or not). */
	'broker.disconnect': { clientId: string; sourceIp: string; certificateId: string | null; thingName: string | null; at: number; reason: string };
	/** A client published a message (bytes = payload length). */
	'broker.publish': { clientId: string; topic: string; bytes: number; at: number };
	/** The broker delivered a message to a subscribed client. */
	'broker.deliver': { clientId: string; topic: string; bytes: number; at: number };
	/** A CONNECT, PUBLISH, SUBSCRIBE or RECEIVE was refused by authentication or policy. */
	'broker.auth-failure': { clientId: string; sourceIp: string; action: 'connect' | 'publish' | 'subscribe' | 'receive'; resource: string; reason: string; at: number };
}

export type WardenEventName = keyof WardenEvents;

export class EventBus {
	readonly #emitter = new EventEmitter();
	readonly #onError: (name: string, e: unknown) => void;

	constructor(onError: (name: string, e: unknown) => void = () => {}) {
		this.#emitter.setMaxListeners(100);
		this.#onError = onError;
	}

	on<K extends WardenEventName>(name: K, fn: (ev: WardenEvents[K]) => void): () => void {
		const wrapped = (ev: WardenEvents[K]) => {
			try {
				fn(ev);
			} catch (e) {
				this.#onError(name, e);
			}
		};
		this.#emitter.on(name, wrapped);
		return () => this.#emitter.off(name, wrapped);
	}

	emit<K extends WardenEventName>(name: K, ev: WardenEvents[K]): void {
		this.#emitter.emit(name, ev);
	}
}
