/**
 * The composition root: `startWarden(options)` opens `<dataDir>/warden.db`, applies every
 * feature's migrations, and starts the broker with report ingest and the HTTP API. Features
 * plug in at the marked places with small edits. Options are validated once, then frozen.
 */
import { join } from 'node:path';
import { type Clock, systemClock } from './clock.ts';
import { WardenError } from './errors.ts';
import { EventBus } from './events.ts';
import { type Logger, silentLogger } from './log.ts';
import { type Migration, type SqlDatabase, migrate } from './storage/database.ts';
import { openSqlite } from './storage/sqlite.ts';
import { ingestMigrations } from './ingest/schema.ts';
import { createSqliteReportStore } from './ingest/sqlite-report-store.ts';
import type { ReportStore } from './ingest/report-store.ts';
import { createIngest } from './ingest/ingest-service.ts';
import { startReportRetention } from './ingest/retention.ts';
import { type WardenBroker, createBroker } from './broker/broker.ts';
import { type RunningApi, startApi } from './api/server.ts';
import { createApiContext } from './api/context.ts';
import { type CredentialEnv, type LoadedCredentials, loadOrCreateCredentials } from './api/credentials.ts';
import { detectConfigMigrations } from './detect/config/schema.ts';
import { detectConfigStoreFor } from './detect/config/sqlite-store.ts';
import { detectEngineMigrations } from './detect/store/schema.ts';
import { startDetect } from './detect/detect-service.ts';
import { registryDirectory } from './detect/registry-directory.ts';
import { type ThingDirectory, unregisteredDirectory } from './detect/engine/config-port.ts';
import type { AlertDestination } from './detect/alerts/destinations.ts';
import { REGISTRY_MIGRATIONS } from './registry/schema.ts';
import { listThingGroups } from './registry/things.ts';
import { type RegistryService, plaintextWarning, startRegistryService } from './registry/registry-service.ts';
import { AUDIT_MIGRATIONS } from './audit/schema.ts';
import { sqliteAuditStore } from './audit/store.ts';
import { AuditService } from './audit/service.ts';
import { MITIGATION_MIGRATIONS } from './mitigation/schema.ts';
import { registryActions } from './mitigation/registry-actions.ts';
import { detectViolations } from './mitigation/detect-violations.ts';
import { SqliteDetectStore } from './detect/store/sqlite-engine-store.ts';

export interface WardenOptions {
	/** Interface for the MQTT and HTTP listeners (default `127.0.0.1`). */
	host?: string;
	/** Plaintext MQTT port (default 1883; 0 = ephemeral). */
	mqttPort?: number;
	/** HTTP API port (default 8443; 0 = ephemeral; null = no HTTP API). */
	httpPort?: number | null;
	/** Directory holding warden.db and credentials.json (default `./.warden`). */
	dataDir?: string;
	/** Time source for every component (default: wall time). */
	clock?: Clock;
	/** AWS account id used in ARNs (default `123456789012`). */
	accountId?: string;
	/** AWS region used in ARNs and SigV4 (default `us-east-1`). */
	region?: string;
	/** Minimum delay between accepted reports of one thing, in seconds (default 300; 0 disables). */
	minReportIntervalSec?: number;
	/** API credentials from the environment, passed through by the CLI (default: credentials.json). */
	credentialEnv?: CredentialEnv;
	/** Detect alert destinations, `name=https://url;secret=...` or `name=mqtt:topic` (docs/alerts.md; default none). */
	alertDestinations?: ReadonlyArray<AlertDestination | string>;
	/** Topic prefix for every Detect alert on the broker; '' disables (default `warden/detect/alerts`). */
	alertTopicPrefix?: string;
	/** Mutual-TLS MQTT port (0 = ephemeral; default null = no mTLS listener). */
	mtlsPort?: number | null;
	/** Broker TLS certificate chain (PEM text) for the mTLS listener (`warden certs server`). */
	tlsCertPem?: string;
	/** Broker TLS private key (PEM text) for the mTLS listener. */
	tlsKeyPem?: string;
	log?: Logger;
}

export interface ResolvedWardenOptions {
	readonly host: string;
	readonly mqttPort: number;
	readonly httpPort: number | null;
	readonly dataDir: string;
	readonly clock: Clock;
	readonly accountId: string;
	readonly region: string;
	readonly minReportIntervalSec: number;
	readonly credentialEnv: CredentialEnv;
	readonly alertDestinations: ReadonlyArray<AlertDestination | string>;
	readonly alertTopicPrefix: string | undefined;
	readonly mtlsPort: number | null;
	readonly tlsCertPem: string | undefined;
	readonly tlsKeyPem: string | undefined;
	readonly log: Logger;
}

export interface Warden {
	/** The bound MQTT port. */
	readonly mqttPort: number;
	/** The bound HTTP API port, or null when the API is off. */
	readonly httpPort: number | null;
	/** The API credential and where it came from (`generated` = created by this start: print it once); null when the API is off. */
	readonly apiCredentials: LoadedCredentials | null;
	readonly db: SqlDatabase;
	readonly bus: EventBus;
	readonly clock: Clock;
	readonly broker: WardenBroker;
	readonly reports: ReportStore;
	/** The device registry, its connection history and the mTLS listener (host/registry). */
	readonly registry: RegistryService;
	/** The bound mTLS port, or null when the mTLS listener is off. */
	readonly mtlsPort: number | null;
	readonly options: ResolvedWardenOptions;
	/** Stop listeners, then close the database. Idempotent. */
	close(): Promise<void>;
}

/** Every feature's migrations, in order. Features append their exported `Migration[]` here. */
export const MIGRATIONS: readonly Migration[] = [
	...ingestMigrations,
	...REGISTRY_MIGRATIONS,
	...detectConfigMigrations,
	...detectEngineMigrations,
	...AUDIT_MIGRATIONS,
	...MITIGATION_MIGRATIONS,
];

function config(message: string): never {
	throw new WardenError('WARDEN_ERR_CONFIG', message);
}

function port(name: string, v: unknown): number {
	if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535) config(`${name} must be an integer from 0 to 65535 (got ${String(v)})`);
	return v;
}

export function resolveWardenOptions(o: WardenOptions = {}): ResolvedWardenOptions {
	const host = o.host ?? '127.0.0.1';
	if (typeof host !== 'string' || host.length === 0) config('host must be a non-empty string');
	const dataDir = o.dataDir ?? './.warden';
	if (typeof dataDir !== 'string' || dataDir.length === 0) config('dataDir must be a non-empty string');
	const accountId = o.accountId ?? '123456789012';
	if (!/^[0-9]{12}$/.test(accountId)) config(`accountId must be 12 digits (got ${accountId})`);
	const region = o.region ?? 'us-east-1';
	if (!/^[a-z]{2}(-[a-z]+)+-[0-9]+$/.test(region)) config(`region must look like us-east-1 (got ${region})`);
	const minReportIntervalSec = o.minReportIntervalSec ?? 300;
	if (typeof minReportIntervalSec !== 'number' || !Number.isFinite(minReportIntervalSec) || minReportIntervalSec < 0) {
		config(`minReportIntervalSec must be a number >= 0 (got ${String(minReportIntervalSec)})`);
	}
	const clock = o.clock ?? systemClock;
	if (typeof clock?.now !== 'function' || typeof clock.setTimer !== 'function') config('clock must implement now() and setTimer()');
	return Object.freeze({
		host,
		mqttPort: port('mqttPort', o.mqttPort ?? 1883),
		httpPort: o.httpPort === null ? null : port('httpPort', o.httpPort ?? 8443),
		dataDir,
		clock,
		accountId,
		region,
		minReportIntervalSec,
		credentialEnv: Object.freeze({ ...o.credentialEnv }),
		alertDestinations: Object.freeze([...(o.alertDestinations ?? [])]),
		alertTopicPrefix: o.alertTopicPrefix,
		mtlsPort: o.mtlsPort === undefined || o.mtlsPort === null ? null : port('mtlsPort', o.mtlsPort),
		tlsCertPem: o.tlsCertPem,
		tlsKeyPem: o.tlsKeyPem,
		log: o.log ?? silentLogger,
	});
}

export async function startWarden(options: WardenOptions = {}): Promise<Warden> {
	const opts = resolveWardenOptions(options);
	const { clock, log } = opts;
	const bus = new EventBus((name, e) => log.error(`event ${name}: a listener failed: ${(e as Error)?.stack ?? String(e)}`));
	const db = openSqlite(join(opts.dataDir, 'warden.db'));
	const closers: (() => Promise<void> | void)[] = [() => db.close()];
	let closed = false;
	const close = async () => {
		if (closed) return;
		closed = true;
		for (const c of closers.reverse()) {
			try {
				await c();
			} catch (e) {
				log.error(`shutdown: ${(e as Error)?.message ?? String(e)}`);
			}
		}
	};
	try {
		migrate(db, MIGRATIONS);
		const reports = createSqliteReportStore(db);
		const ingest = createIngest({
			store: reports,
			bus,
			clock,
			minReportIntervalSec: opts.minReportIntervalSec,
			onStorageError: (e) => log.error(`ingest: storing a report failed: ${(e as Error)?.message ?? String(e)}`),
			onInternalError: (e) => log.error(`ingest: handling a report failed: ${(e as Error)?.stack ?? String(e)}`),
		});
		// spec §2: reports are kept 14 days, then swept (clock-driven)
		closers.push(startReportRetention({ store: reports, clock, onError: (e) => log.error(`ingest: retention sweep failed: ${String(e)}`) }));

		// Detect: the engine subscribes to `report.accepted` and `broker.*` before the broker starts.
		let publish: ((topic: string, payload: string) => Promise<void>) | undefined;
		let directory: ThingDirectory = unregisteredDirectory; // the registry once it is open
		const detect = startDetect({
			db,
			bus,
			clock,
			config: detectConfigStoreFor(db),
			directory: { identity: (thing) => directory.identity(thing) },
			accountId: opts.accountId,
			region: opts.region,
			log,
			alertDestinations: opts.alertDestinations,
			...(opts.alertTopicPrefix !== undefined ? { alertTopicPrefix: opts.alertTopicPrefix } : {}),
			publish: (topic, payload) => (publish ? publish(topic, payload) : Promise.reject(new Error('broker not started'))),
		});
		closers.push(() => detect.stop());
		// Profiles, targets, custom metrics or dimensions changed through the API: rebuild the engine's plans.
		closers.push(detectConfigStoreFor(db).onChange(() => detect.engine.configChanged()));

		const broker = await createBroker({ bus, clock, ingest, log });
		closers.push(() => broker.close());
		publish = (topic, payload) => broker.publish(topic, payload, { qos: 1 });
		detect.startAlerts();
		// Registry: mTLS identity and IoT-policy authorization on the broker, connection history, mTLS listener.
		const registry = await startRegistryService({
			db, bus, clock, broker, accountId: opts.accountId, region: opts.region, host: opts.host, mtlsPort: opts.mtlsPort, log,
			...(opts.tlsCertPem !== undefined && opts.tlsKeyPem !== undefined ? { tlsCertPem: opts.tlsCertPem, tlsKeyPem: opts.tlsKeyPem } : {}),
		});
		closers.push(() => registry.close());
		directory = registryDirectory(registry.registry);
		detect.engine.configChanged();
		const mqttPort = await broker.listen(opts.host, opts.mqttPort);
		log.warn(plaintextWarning(opts.host, mqttPort));

		// Mitigation actions act on the registry and the broker (also the audit notification channel).
		const mitigationPort = registryActions({
			registry: registry.registry,
			publish: (topic, payload) => broker.publish(topic, payload, { qos: 1 }),
			onPublishError: (e) => log.error(`mitigation: publishing a finding failed: ${(e as Error)?.message ?? String(e)}`),
		});

		let api: RunningApi | null = null;
		let apiCredentials: LoadedCredentials | null = null;
		if (opts.httpPort !== null) {
			const ctx = createApiContext({
				clock,
				db,
				accountId: opts.accountId,
				region: opts.region,
				events: bus,
				log: (level, message) => log[level](`api: ${message}`),
				services: {
					thingGroupDescendants: (g) => listThingGroups(registry.registry, { parentGroup: g, recursive: true }).map((x) => x.thingGroupName),
					thingGroupExists: (g) => listThingGroups(registry.registry).some((x) => x.thingGroupName === g),
					auditSnapshot: registry.snapshotSource,
					auditInWorker: true,
					mitigationActions: mitigationPort,
					detectViolations: detectViolations(new SqliteDetectStore(db)),
				},
			});
			apiCredentials = loadOrCreateCredentials(opts.dataDir, opts.credentialEnv);
			api = await startApi({ host: opts.host, port: opts.httpPort, ctx, credentials: apiCredentials });
			closers.push(() => api?.close());
		}

		// Audit: scheduled audits fire on the service clock (host/audit/schedule.ts).
		const audit = new AuditService({
			store: sqliteAuditStore(db), source: registry.snapshotSource, clock, accountId: opts.accountId, region: opts.region,
			notify: (arn, message) => mitigationPort.publishFinding(arn, message), inWorker: true,
		});
		audit.failInterruptedTasks(); // tasks of a process killed mid-audit (docs/audit.md)
		closers.push(() => audit.close());
		closers.push(audit.startScheduler());

		return Object.freeze({ mqttPort, httpPort: api?.port ?? null, apiCredentials, db, bus, clock, broker, reports, registry, mtlsPort: registry.mtlsPort, options: opts, close });
	} catch (e) {
		await close();
		throw e;
	}
}
