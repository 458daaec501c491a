/**
 * `warden serve`: run the service (broker + ingest + API) until SIGINT/SIGTERM, printing the
 * listening addresses and one line per accepted or rejected report. Thin over startWarden().
 */
import { ScaledClock, type Clock, systemClock } from '../../clock.ts';
import { WardenError } from '../../errors.ts';
import { startWarden } from '../../server.ts';
import { parseDestination } from '../../detect/alerts/destinations.ts';
import { readFileSync } from 'node:fs';
import { intOption, stringOption } from '../args.ts';
import type { Program } from '../index.ts';

interface ServeFlags {
	host?: unknown;
	'mqtt-port'?: unknown;
	'http-port'?: unknown;
	'data-dir'?: unknown;
	'min-report-interval'?: unknown;
	'time-scale'?: unknown;
	/** false with `--no-api` */
	api?: unknown;
	'alert-destination'?: unknown;
	'alert-topic-prefix'?: unknown;
	'mtls-port'?: unknown;
	'tls-cert'?: unknown;
	'tls-key'?: unknown;
}

function pemFile(name: string, raw: unknown): string {
	const file = stringOption(name, raw);
	try {
		return readFileSync(file, 'utf8');
	} catch (e) {
		throw new WardenError('WARDEN_ERR_CLI_USAGE', `--${name} ${file} cannot be read: ${(e as Error).message}`, { option: name });
	}
}

function timeScale(raw: unknown): Clock {
	if (raw === undefined) return systemClock;
	const x = typeof raw === 'number' ? raw : Number(raw);
	if (typeof raw === 'boolean' || !Number.isFinite(x) || x < 1 || x > 1_000_000) {
		throw new WardenError('WARDEN_ERR_CLI_USAGE', `--time-scale must be a number from 1 to 1000000 (got ${String(raw)})`, { option: 'time-scale' });
	}
	return x === 1 ? systemClock : new ScaledClock(x);
}

function hostOf(h: string): string {
	return h.includes(':') ? `[${h}]` : h;
}

export function register(prog: Program): void {
	prog
		.command('serve')
		.describe('Run the broker, report ingest and the HTTP API')
		.option('--host', 'Interface to listen on', '127.0.0.1')
		.option('--mqtt-port', 'MQTT port (0 = ephemeral)', 1883)
		.option('--http-port', 'HTTP API port (0 = ephemeral)', 8443)
		.option('--api', 'Start the HTTP API (--no-api: do not)', true)
		.option('--data-dir', 'Directory of warden.db', './.warden')
		.option('--min-report-interval', 'Minimum seconds between reports of one thing (0 = off)', 300)
		.option('--time-scale', 'Run the service clock this many times faster than wall time', 1)
		.option('--alert-destination', 'Detect alert destination, repeatable: name=https://url;secret=... or name=mqtt:topic (docs/alerts.md)')
		.option('--alert-topic-prefix', "Broker topic prefix for every Detect alert ('' = off)", 'warden/detect/alerts')
		.option('--mtls-port', 'Mutual-TLS MQTT port for devices (0 = ephemeral; off unless given; docs/mtls.md)')
		.option('--tls-cert', 'Broker TLS certificate for --mtls-port (PEM file, `warden certs server`)', './.warden/pki/server.crt')
		.option('--tls-key', 'Broker TLS private key for --mtls-port (PEM file)', './.warden/pki/server.key')
		.action(async (flags: ServeFlags) => {
			// all validation happens before anything starts
			const host = stringOption('host', flags.host);
			const mqttPort = intOption('mqtt-port', flags['mqtt-port'], 0, 65535);
			const httpPort = flags.api === false ? null : intOption('http-port', flags['http-port'], 0, 65535);
			const dataDir = stringOption('data-dir', flags['data-dir']);
			const minReportIntervalSec = intOption('min-report-interval', flags['min-report-interval'], 0, 86_400);
			const clock = timeScale(flags['time-scale']);
			const mtlsPort = flags['mtls-port'] === undefined ? null : intOption('mtls-port', flags['mtls-port'], 0, 65535);
			const tls = mtlsPort === null ? {} : { tlsCertPem: pemFile('tls-cert', flags['tls-cert']), tlsKeyPem: pemFile('tls-key', flags['tls-key']) };
			const rawDest = flags['alert-destination'];
			const alertDestinations = (rawDest === undefined ? [] : Array.isArray(rawDest) ? rawDest : [rawDest]).map((d) => parseDestination(String(d)));
			const alertTopicPrefix = String(flags['alert-topic-prefix'] ?? 'warden/detect/alerts');
			const out = (line: string) => process.stdout.write(`${line}\n`);
			const err = (line: string) => process.stderr.write(`${line}\n`);

			const w = await startWarden({
				host,
				mqttPort,
				httpPort,
				dataDir,
				clock,
				minReportIntervalSec,
				alertDestinations,
				alertTopicPrefix,
				mtlsPort,
				...tls,
				credentialEnv: { WARDEN_ACCESS_KEY_ID: process.env.WARDEN_ACCESS_KEY_ID, WARDEN_SECRET_ACCESS_KEY: process.env.WARDEN_SECRET_ACCESS_KEY },
				log: { info: (m) => err(`info: ${m}`), warn: (m) => err(`warn: ${m}`), error: (m) => err(`error: ${m}`) },
			});
			w.bus.on('report.accepted', (e) => out(`report ACCEPTED thing=${e.thingName} reportId=${e.reportId} format=${e.format} client=${e.clientId}`));
			w.bus.on('report.rejected', (e) =>
				out(`report REJECTED thing=${e.thingName} reportId=${e.reportId ?? '-'} format=${e.format} client=${e.clientId} ${e.errorCode}: ${e.message}`),
			);
			out(`warden: MQTT listening on mqtt://${hostOf(host)}:${w.mqttPort} (plaintext, no authentication: loopback development only)`);
			if (w.mtlsPort !== null) out(`warden: MQTT over mutual TLS listening on mqtts://${hostOf(host)}:${w.mtlsPort} (registered ACTIVE certificates, IoT policies enforced)`);
			if (w.httpPort !== null) {
				out(`warden: HTTP API listening on http://${hostOf(host)}:${w.httpPort} (AWS SigV4, service iot, region us-east-1; see docs/api.md)`);
				const cred = w.apiCredentials;
				if (cred?.source === 'generated') {
					out(`warden: generated API credentials (stored in ${dataDir}/credentials.json, shown only now):`);
					out(`  AWS_ACCESS_KEY_ID=${cred.accessKeyId}`);
					out(`  AWS_SECRET_ACCESS_KEY=${cred.secretAccessKey}`);
				} else if (cred) {
					out(`warden: API credentials from ${cred.source === 'env' ? 'WARDEN_ACCESS_KEY_ID/WARDEN_SECRET_ACCESS_KEY' : `${dataDir}/credentials.json`} (access key ${cred.accessKeyId})`);
				}
			}
			out(`warden: data in ${dataDir}/warden.db`);

			let stopping = false;
			const stop = (signal: string) => {
				if (stopping) return;
				stopping = true;
				out(`warden: ${signal}, shutting down`);
				w.close().then(
					() => process.exit(0),
					(e: unknown) => {
						err(`error: shutdown failed: ${String(e)}`);
						process.exit(1);
					},
				);
			};
			process.once('SIGINT', () => stop('SIGINT'));
			process.once('SIGTERM', () => stop('SIGTERM'));
		});
}
