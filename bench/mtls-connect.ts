/**
 * mTLS connections per second accepted by the broker on one core, next to plaintext
 * connections per second in the same run (the baseline). The broker (with report ingest, the
 * registry hooks and the mTLS listener) runs alone in a child process, i.e. on one core; this
 * process opens MQTT.js connections (CONNECT → CONNACK → DISCONNECT) with fixed concurrency.
 * Every mTLS connection is a full TLS handshake (no session resumption) with an RSA-2048 client
 * certificate that the registry checks and an IoT policy evaluation for iot:Connect.
 *
 *   node --import tsx bench/mtls-connect.ts [connections=400] [concurrency=16]
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';

const TOTAL = Number(process.argv[2] ?? 400);
const CONCURRENCY = Number(process.argv[3] ?? 16);

async function server(): Promise<void> {
	const { tempDir } = await import('../test/helpers/mqtt.ts');
	const { startMtlsBed } = await import('../test/mtls/fixture.ts');
	const { registerCACertificate, registerCertificate } = await import('../host/registry/certificates.ts');
	const { attachPolicy, createPolicy } = await import('../host/registry/policies.ts');
	const bed = await startMtlsBed();
	const reg = bed.svc.registry;
	registerCACertificate(reg, { caCertificate: bed.ca.certPem, setAsActive: true });
	const dev = bed.device('bench-device');
	const cert = registerCertificate(reg, { certificatePem: dev.certPem, setAsActive: true });
	createPolicy(reg, { policyName: 'bench', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: reg.arn('client/bench-*') }] }) });
	attachPolicy(reg, 'bench', cert.certificateArn);
	const dir = tempDir('warden-bench-');
	writeFileSync(join(dir, 'ca.crt'), bed.ca.certPem);
	writeFileSync(join(dir, 'dev.crt'), dev.certPem);
	writeFileSync(join(dir, 'dev.key'), dev.keyPem);
	let connects = 0;
	bed.bus.on('broker.connect', () => connects++);
	process.stdout.write(`${JSON.stringify({ plainPort: bed.plainPort, mtlsPort: bed.svc.mtlsPort, dir })}\n`);
	process.stdin.on('data', (d) => {
		const cpu = process.cpuUsage();
		if (d.toString().includes('count')) process.stdout.write(`${JSON.stringify({ connects, failures: bed.events['broker.auth-failure']?.length ?? 0, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
	});
	process.stdin.on('end', async () => {
		await bed.close();
		rmSync(dir, { recursive: true, force: true });
		process.exit(0);
	});
}

function once(opts: mqtt.IClientOptions): Promise<void> {
	return new Promise((resolve, reject) => {
		const c = mqtt.connect({ ...opts, reconnectPeriod: 0, connectTimeout: 10_000 });
		c.once('connect', () => c.end(true, {}, () => resolve()));
		c.once('error', (e) => (c.end(true), reject(e)));
	});
}

async function run(label: string, opts: (i: number) => mqtt.IClientOptions): Promise<number> {
	let next = 0;
	const t0 = performance.now();
	const worker = async () => {
		while (next < TOTAL) await once(opts(next++));
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	const rate = TOTAL / ((performance.now() - t0) / 1000);
	console.log(`${label.padEnd(10)} ${TOTAL} connections, concurrency ${CONCURRENCY}: ${rate.toFixed(0)} connections/s`);
	return rate;
}

async function main(): Promise<void> {
	const child = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--server'], { stdio: ['pipe', 'pipe', 'inherit'] });
	const lines: string[] = [];
	const waiters: ((l: string) => void)[] = [];
	let buf = '';
	child.stdout.on('data', (d: Buffer) => {
		buf += d.toString();
		let i;
		while ((i = buf.indexOf('\n')) >= 0) {
			const l = buf.slice(0, i);
			buf = buf.slice(i + 1);
			const w = waiters.shift();
			if (w) w(l);
			else lines.push(l);
		}
	});
	const line = () => new Promise<string>((r) => (lines.length ? r(lines.shift()!) : waiters.push(r)));
	const info = JSON.parse(await line()) as { plainPort: number; mtlsPort: number; dir: string };
	const tls = { ca: readFileSync(join(info.dir, 'ca.crt')), cert: readFileSync(join(info.dir, 'dev.crt')), key: readFileSync(join(info.dir, 'dev.key')) };
	const plain = (i: number): mqtt.IClientOptions => ({ host: '127.0.0.1', port: info.plainPort, clientId: `bench-p${i}` });
	const secure = (i: number): mqtt.IClientOptions => ({ protocol: 'mqtts', host: '127.0.0.1', port: info.mtlsPort, clientId: `bench-t${i}`, ...tls });
	type Counts = { connects: number; failures: number; cpuMs: number };
	const counts = async () => (child.stdin.write('count\n'), JSON.parse(await line()) as Counts);
	// warm up both paths (JIT, SQLite statement cache)
	for (let i = 0; i < 20; i++) await once(plain(i)), await once(secure(i));
	const c0 = await counts();
	const p = await run('plaintext', plain);
	const c1 = await counts();
	const t = await run('mtls', secure);
	const c2 = await counts();
	child.stdin.end();
	const cpuPlain = (c1.cpuMs - c0.cpuMs) / TOTAL;
	const cpuTls = (c2.cpuMs - c1.cpuMs) / TOTAL;
	console.log(`broker saw ${c2.connects} connects, ${c2.failures} authorization failures (expected ${2 * TOTAL + 40} and 0)`);
	console.log(`broker CPU per connection: plaintext ${cpuPlain.toFixed(2)} ms, mtls ${cpuTls.toFixed(2)} ms → one broker core accepts ~${(1000 / cpuPlain).toFixed(0)} plaintext / ~${(1000 / cpuTls).toFixed(0)} mTLS connections/s`);
	console.log(`ratio mtls/plaintext: throughput ${(t / p).toFixed(3)}, broker CPU per connection ${(cpuTls / cpuPlain).toFixed(2)}x`);
}

if (process.argv.includes('--server')) await server();
else await main();
