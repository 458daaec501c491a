/**
 * The registry feature as started by the composition root: opens the registry, installs mTLS
 * identity and IoT-policy authorization on the broker, records the connection history, and
 * optionally opens the mutual-TLS listener. The plaintext listener stays for loopback
 * development; `plaintextWarning` is the loud line the CLI prints when it is on.
 */
import type { WardenBroker } from '../broker/broker.ts';
import type { Clock } from '../clock.ts';
import { WardenError } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { type Logger, silentLogger } from '../log.ts';
import type { SqlDatabase } from '../storage/database.ts';
import { installRegistryAuth } from './broker-auth.ts';
import { type ConnectionHistory, recordConnections } from './connection-history.ts';
import { listenMtls } from './mtls-listener.ts';
import { type Registry, registryFor } from './registry.ts';
import { registrySnapshot } from './snapshot.ts';
import type { AuditSnapshotSource } from '../audit/snapshot.ts';

export interface RegistryServiceOptions {
	db: SqlDatabase;
	bus: EventBus;
	clock: Clock;
	broker: WardenBroker;
	/** AWS account id and region used in ARNs. */
	accountId: string;
	region: string;
	/** Interface of the mTLS listener (default 127.0.0.1). */
	host?: string;
	/** mTLS MQTT port (0 = ephemeral; null/undefined = no mTLS listener). */
	mtlsPort?: number | null;
	/** Broker TLS certificate chain and key (PEM); required with mtlsPort. */
	tlsCertPem?: string;
	tlsKeyPem?: string;
	log?: Logger;
}

export interface RegistryService {
	readonly registry: Registry;
	readonly connections: ConnectionHistory;
	/** What Audit takes snapshots from. */
	readonly snapshotSource: AuditSnapshotSource;
	/** Bound mTLS port, or null when the mTLS listener is off. */
	readonly mtlsPort: number | null;
	close(): Promise<void>;
}

/** Ended sessions older than this are dropped from the connection history (35 days, Unix ms). */
export const HISTORY_RETENTION_MS = 35 * 86_400_000;

/** The warning printed when the plaintext listener is on. */
export function plaintextWarning(host: string, port: number): string {
	return [
		'*'.repeat(78),
		`* WARNING: plaintext MQTT listener on ${host}:${port}: NO authentication, NO encryption,`,
		'* NO IoT policies. Any client may connect and publish. For loopback development only;',
		'* devices should use the mTLS listener (--mtls-port, see docs/mtls.md).',
		'*'.repeat(78),
	].join('\n');
}

export async function startRegistryService(opts: RegistryServiceOptions): Promise<RegistryService> {
	const log = opts.log ?? silentLogger;
	const registry = registryFor({ db: opts.db, clock: opts.clock, accountId: opts.accountId, region: opts.region });
	const rec = recordConnections(opts.bus, opts.db, opts.clock);
	const uninstall = installRegistryAuth(opts.broker, registry);
	// spec §5.2: the connection checks look back at most 31 days; keep a margin, drop the rest daily
	let cancelPrune: (() => void) | null = null;
	const prune = () => {
		try {
			rec.history.prune(opts.clock.now() - HISTORY_RETENTION_MS);
		} catch (e) {
			log.error(`registry: pruning the connection history failed: ${(e as Error).message}`);
		}
		cancelPrune = opts.clock.setTimer(86_400_000, prune);
	};
	prune();
	let mtls: Awaited<ReturnType<typeof listenMtls>> | null = null;
	if (opts.mtlsPort !== undefined && opts.mtlsPort !== null) {
		if (!opts.tlsCertPem || !opts.tlsKeyPem) throw new WardenError('WARDEN_ERR_CONFIG', 'the mTLS listener needs tlsCertPem and tlsKeyPem (create them with `warden certs server`)');
		mtls = await listenMtls(opts.broker, { host: opts.host ?? '127.0.0.1', port: opts.mtlsPort, certPem: opts.tlsCertPem, keyPem: opts.tlsKeyPem, log });
		log.info(`mtls: MQTT over mutual TLS on ${opts.host ?? '127.0.0.1'}:${mtls.port}`);
	}
	return Object.freeze({
		registry,
		connections: rec.history,
		snapshotSource: registrySnapshot(registry, rec.history),
		mtlsPort: mtls?.port ?? null,
		async close() {
			cancelPrune?.();
			uninstall();
			rec.stop();
			await mtls?.close();
		},
	});
}
