/**
 * Detect as one service for the composition root: engine (subscribed to the event bus),
 * alert outbox dispatcher and alert sink over the shared database.
 */
import type { Clock } from '../clock.ts';
import type { EventBus } from '../events.ts';
import type { Logger } from '../log.ts';
import type { SqlDatabase } from '../storage/database.ts';
import { AlertSink } from './alerts/alert-sink.ts';
import { parseDestination, type AlertDestination } from './alerts/destinations.ts';
import { AlertDispatcher, type HttpPost } from './alerts/dispatcher.ts';
import { unregisteredDirectory, type DetectConfigPort, type ThingDirectory } from './engine/config-port.ts';
import { DetectEngine } from './engine/engine.ts';
import { SqliteDetectStore } from './store/sqlite-engine-store.ts';

export interface DetectServiceOptions {
	db: SqlDatabase;
	bus: EventBus;
	clock: Clock;
	config: DetectConfigPort;
	/** Registry view of things (default: every thing unregistered). */
	directory?: ThingDirectory;
	accountId: string;
	region: string;
	log: Logger;
	/** `--alert-destination` values (see alerts/destinations.ts), already parsed or as strings. */
	alertDestinations?: ReadonlyArray<AlertDestination | string>;
	/** Topic prefix of the always-on MQTT alert channel; '' disables (default `warden/detect/alerts`). */
	alertTopicPrefix?: string;
	/** Publish through the broker (set once the broker exists). */
	publish: (topic: string, payload: string) => Promise<void>;
	/** HTTP client for webhooks (default fetch). */
	post?: HttpPost;
}

export interface DetectService {
	readonly engine: DetectEngine;
	readonly dispatcher: AlertDispatcher;
	/** Start delivering alerts (call once the broker accepts publishes). */
	startAlerts(): void;
	stop(): Promise<void>;
}

export function startDetect(o: DetectServiceOptions): DetectService {
	const destinations = new Map<string, AlertDestination>();
	for (const d of o.alertDestinations ?? []) {
		const parsed = typeof d === 'string' ? parseDestination(d) : d;
		destinations.set(parsed.name, parsed);
	}
	const destination = (name: string) => destinations.get(name);
	const store = new SqliteDetectStore(o.db);
	const fields = (f: Record<string, unknown>) => Object.entries(f).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
	const dispatcher = new AlertDispatcher({
		clock: o.clock,
		store,
		destination,
		publish: o.publish,
		...(o.post ? { post: o.post } : {}),
		log: (m, f) => o.log.warn(`${m} ${fields(f)}`),
	});
	const sink = new AlertSink({
		clock: o.clock,
		accountId: o.accountId,
		region: o.region,
		destination,
		dispatcher,
		...(o.alertTopicPrefix !== undefined ? { alertTopicPrefix: o.alertTopicPrefix } : {}),
		log: (m, f) => o.log.warn(`${m} ${fields(f)}`),
	});
	const engine = new DetectEngine({
		clock: o.clock,
		store,
		config: o.config,
		directory: o.directory ?? unregisteredDirectory,
		sink,
		log: (m, f, level = 'info') => o.log[level](`${m} ${fields(f)}`),
		groupCommit: true,
	});
	engine.start(o.bus);
	return {
		engine,
		dispatcher,
		startAlerts: () => dispatcher.start(),
		async stop() {
			engine.stop();
			dispatcher.stop();
			await dispatcher.idle();
		},
	};
}
