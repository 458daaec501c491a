/**
 * An mTLS test bed: a real broker (with report ingest on a real SQLite file), the registry
 * service with its mutual-TLS listener on 127.0.0.1 (ephemeral port), and a development PKI.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Clock, systemClock } from '../../host/clock.ts';
import { EventBus, type WardenEvents } from '../../host/events.ts';
import { migrate } from '../../host/storage/database.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';
import { ingestMigrations } from '../../host/ingest/schema.ts';
import { createSqliteReportStore } from '../../host/ingest/sqlite-report-store.ts';
import { createIngest } from '../../host/ingest/ingest-service.ts';
import { type WardenBroker, createBroker } from '../../host/broker/broker.ts';
import { type RegistryService, startRegistryService } from '../../host/registry/registry-service.ts';
import { type KeyAndCert, createDevCa, generateRsaKeyPem, issueDeviceCertificate, issueServerCertificate } from '../../host/registry/dev-pki.ts';
import { tempDir } from '../helpers/mqtt.ts';

export interface MtlsBed {
	dir: string;
	bus: EventBus;
	broker: WardenBroker;
	svc: RegistryService;
	ca: KeyAndCert;
	server: KeyAndCert;
	/** Plaintext port (bench baseline). */
	plainPort: number;
	events: { [K in keyof WardenEvents]?: WardenEvents[K][] };
	device(commonName: string, opts?: { ca?: KeyAndCert; notBefore?: number; notAfter?: number }): KeyAndCert;
	close(): Promise<void>;
}

const sharedKey = generateRsaKeyPem();

export async function startMtlsBed(clock: Clock = systemClock): Promise<MtlsBed> {
	const dir = tempDir('warden-mtls-');
	const db = openSqlite(join(dir, 'warden.db'));
	migrate(db, ingestMigrations);
	const bus = new EventBus();
	const events: MtlsBed['events'] = {};
	for (const name of ['broker.auth-failure', 'broker.connect', 'broker.disconnect'] as const) {
		bus.on(name, (e) => ((events[name] ??= [] as never[]) as unknown[]).push(e));
	}
	const ingest = createIngest({ store: createSqliteReportStore(db), bus, clock, minReportIntervalSec: 0 });
	const broker = await createBroker({ bus, clock, ingest });
	const plainPort = await broker.listen('127.0.0.1', 0);
	const now = clock.now();
	const ca = createDevCa({ commonName: 'Warden Test CA', notBefore: now - 86_400_000 });
	const server = issueServerCertificate(ca, { commonName: '127.0.0.1', hosts: ['127.0.0.1', 'localhost'], keyPem: sharedKey });
	const svc = await startRegistryService({ db, bus, clock, broker, accountId: '123456789012', region: 'us-east-1', mtlsPort: 0, tlsCertPem: server.certPem, tlsKeyPem: server.keyPem });
	return {
		dir, bus, broker, svc, ca, server, plainPort, events,
		device: (cn, o = {}) => issueDeviceCertificate(o.ca ?? ca, { commonName: cn, keyPem: sharedKey, notBefore: o.notBefore ?? now - 3_600_000, notAfter: o.notAfter ?? now + 86_400_000 }),
		async close() {
			await svc.close();
			await broker.close();
			db.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

export type ConnectOutcome = { ok: true; client: MqttClient } | { ok: false; error: string; code: number | undefined };

/** Connect over mTLS; resolves with the client or the refusal (never hangs: 5 s bound). */
export function connectTls(bed: MtlsBed, clientId: string, cred: KeyAndCert | null, extra: mqtt.IClientOptions = {}): Promise<ConnectOutcome> {
	const client = mqtt.connect({
		protocol: 'mqtts', host: '127.0.0.1', port: bed.svc.mtlsPort!, clientId, reconnectPeriod: 0, connectTimeout: 5000,
		ca: bed.ca.certPem, rejectUnauthorized: true, ...(cred ? { key: cred.keyPem, cert: cred.certPem } : {}), ...extra,
	});
	return new Promise((resolve) => {
		const t = setTimeout(() => done({ ok: false, error: 'timeout', code: undefined }), 5000);
		const done = (r: ConnectOutcome) => {
			clearTimeout(t);
			client.removeAllListeners('connect');
			if (!r.ok) client.end(true);
			resolve(r);
		};
		client.once('connect', () => done({ ok: true, client }));
		client.once('error', (e) => done({ ok: false, error: e.message, code: (e as { code?: number }).code }));
		client.once('close', () => done({ ok: false, error: 'closed', code: undefined }));
	});
}

/** Wait until `pred` holds for the recorded events of `name` (bounded). */
export async function waitForEvent<K extends keyof WardenEvents>(bed: MtlsBed, name: K, pred: (e: WardenEvents[K]) => boolean, ms = 5000): Promise<WardenEvents[K]> {
	const found = () => (bed.events[name] as WardenEvents[K][] | undefined)?.find(pred);
	const hit = found();
	if (hit) return hit;
	return new Promise((resolve, reject) => {
		const t = setTimeout(() => (off(), reject(new Error(`no ${name} event within ${ms} ms`))), ms);
		const off = bed.bus.on(name, (e) => {
			if (pred(e)) {
				clearTimeout(t);
				off();
				resolve(e);
			}
		});
	});
}
