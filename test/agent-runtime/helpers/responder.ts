/**
 * A bare aedes broker on 127.0.0.1 (ephemeral port) with a stand-in for the ingest service: it
 * subscribes to `$aws/things/+/defender/metrics/#`, decodes each report with the real parser and
 * answers ACCEPTED (or whatever `decide` says) on the matching reply topic, encoded as ingest does.
 */
import { Aedes } from 'aedes';
import { createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { parseReport } from '../../../host/ingest/parse-report.ts';
import { encodeReply } from '../../../host/ingest/reply.ts';
import type { DeviceReport, ReportFormat } from '../../../host/ingest/report-types.ts';

export interface Received {
	at: number;
	thingName: string;
	format: ReportFormat;
	payload: Buffer;
	report: DeviceReport | null;
	error: string | null;
}

export interface Responder {
	port: number;
	url: string;
	received: Received[];
	/** Resolves with the n-th (1-based) received report; rejects after `ms` of wall time. */
	waitFor(n: number, ms?: number): Promise<Received>;
	/** Choose the reply; default ACCEPTED for parseable reports, REJECTED InvalidPayload otherwise. */
	decide: (r: Received) => { status: 'ACCEPTED' } | { status: 'REJECTED'; code: string } | null;
	/** Drop every client connection and stop listening (port kept for `restart`). */
	kill(): Promise<void>;
	restart(): Promise<void>;
	close(): Promise<void>;
	clientIds(): string[];
	/** Every CONNECT seen: client id, source address, and whether authentication passed. */
	connects: { clientId: string; address: string; ok: boolean }[];
	/** Every client publish outside the Defender topics. */
	publishes: { clientId: string; topic: string; bytes: number }[];
	/** Subscribe requests (any filter). */
	subscribes: { clientId: string; topic: string }[];
	/** Credentials check; default: everyone may connect. */
	authenticate: (clientId: string, username: string | undefined, password: string | undefined) => boolean;
	/** Time stamped on each received report (default Date.now). */
	now: () => number;
}

export async function startResponder(port = 0): Promise<Responder> {
	let aedes: Aedes;
	let server: Server;
	const sockets = new Set<Socket>();
	const waiters: { n: number; resolve: (r: Received) => void }[] = [];
	const self: Responder = {
		port: 0,
		url: '',
		received: [],
		decide: (r) => (r.report ? { status: 'ACCEPTED' } : { status: 'REJECTED', code: 'InvalidPayload' }),
		waitFor(n, ms = 10_000) {
			if (self.received.length >= n) return Promise.resolve(self.received[n - 1]!);
			return new Promise((resolve, reject) => {
				const t = setTimeout(() => reject(new Error(`no report #${n} within ${ms} ms (got ${self.received.length})`)), ms);
				waiters.push({ n, resolve: (r) => { clearTimeout(t); resolve(r); } });
			});
		},
		async kill() {
			for (const s of sockets) s.destroy();
			await new Promise<void>((r) => server.close(() => r()));
			await new Promise<void>((r) => aedes.close(() => r()));
		},
		async restart() {
			await boot(self.port);
		},
		async close() {
			await self.kill();
		},
		clientIds: () => Object.keys((aedes as unknown as { clients: Record<string, unknown> }).clients),
		connects: [],
		publishes: [],
		subscribes: [],
		authenticate: () => true,
		now: () => Date.now(),
	};

	async function boot(p: number): Promise<void> {
		aedes = await Aedes.createBroker();
		const a = aedes;
		a.authenticate = (client, username, password, cb) => {
			const ok = self.authenticate(client.id, username, password ? Buffer.from(password).toString() : undefined);
			const conn = (client as unknown as { conn: { remoteAddress?: string } }).conn;
			self.connects.push({ clientId: client.id, address: (conn.remoteAddress ?? '').replace(/^::ffff:/, ''), ok });
			if (ok) cb(null, true);
			else cb(Object.assign(new Error('bad user name or password'), { returnCode: 4 }) as never, false);
		};
		a.on('publish', (packet, client) => {
			if (client && !packet.topic.startsWith('$aws/things/')) self.publishes.push({ clientId: client.id, topic: packet.topic, bytes: packet.payload.length });
		});
		a.on('subscribe', (subs, client) => {
			for (const sub of subs) self.subscribes.push({ clientId: client.id, topic: sub.topic });
		});
		aedes.subscribe('$aws/things/+/defender/metrics/+', (packet, cb) => {
			cb();
			const m = /^\$aws\/things\/([^/]+)\/defender\/metrics\/(json|cbor)$/.exec(packet.topic);
			if (!m) return;
			const format = m[2] as ReportFormat;
			const payload = Buffer.from(packet.payload as Buffer);
			let report: DeviceReport | null = null;
			let error: string | null = null;
			try {
				report = parseReport(payload, format);
			} catch (e) {
				error = (e as Error).message;
			}
			const rec: Received = { at: self.now(), thingName: m[1]!, format, payload, report, error };
			self.received.push(rec);
			const d = self.decide(rec);
			if (d) {
				const body = encodeReply({
					thingName: rec.thingName,
					...(report ? { reportId: report.header.report_id } : {}),
					status: d.status,
					timestamp: Date.now(),
					...(d.status === 'REJECTED' ? { statusDetails: { ErrorCode: d.code, ErrorMessage: 'test' } } : {}),
				}, format);
				const topic = `${packet.topic}/${d.status === 'ACCEPTED' ? 'accepted' : 'rejected'}`;
				a.publish({ cmd: 'publish', topic, payload: body, qos: 0, retain: false, dup: false }, () => {});
			}
			for (const w of waiters.splice(0)) {
				if (self.received.length >= w.n) w.resolve(self.received[w.n - 1]!);
				else waiters.push(w);
			}
		}, () => {});
		server = createServer((s) => {
			sockets.add(s);
			s.on('close', () => sockets.delete(s));
			a.handle(s);
		});
		server.listen(p, '127.0.0.1');
		await once(server, 'listening');
		self.port = (server.address() as { port: number }).port;
		self.url = `mqtt://127.0.0.1:${self.port}`;
	}
	await boot(port);
	return self;
}
