/**
 * Control-plane API cost, in-process (`app.request()`, no sockets), against baselines measured
 * in the same run:
 *  1. DescribeSecurityProfile through the full Warden app (SigV4 verification + SQLite read) vs
 *     the same JSON answer from a bare Hono route (baseline) → the price of auth + storage.
 *  2. ValidateSecurityProfileBehaviors with 100 behaviors vs JSON.parse of the same body.
 *  3. The Detect engine's read port: profilesForThing from the cache vs decoding every profile
 *     from SQLite (what it would cost without the cache).
 * Run: node --import tsx bench/api-requests.ts
 */
import { Hono } from 'hono';
import { SignatureV4 } from '@smithy/signature-v4';
import { createApiApp } from '../host/api/app.ts';
import { createApiContext } from '../host/api/context.ts';
import { NodeSha256 } from '../host/api/sigv4.ts';
import { systemClock } from '../host/clock.ts';
import { registerRoutes } from '../host/detect/config/api-routes.ts';
import { detectConfigStoreFor } from '../host/detect/config/sqlite-store.ts';
import { openSqlite } from '../host/storage/sqlite.ts';

const credentials = { accessKeyId: 'AKIABENCH00000000001', secretAccessKey: 'benchSecretbenchSecretbenchSecret0000000' };
const db = openSqlite(':memory:');
const app = createApiApp({ ctx: createApiContext({ clock: systemClock, db }), credentials, routes: [registerRoutes] });
const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'iot', sha256: NodeSha256 });

async function signed(method: string, path: string, body?: string): Promise<{ url: string; init: RequestInit }> {
	const headers: Record<string, string> = { host: 'warden.bench' };
	if (body !== undefined) headers['content-type'] = 'application/json';
	const s = await signer.sign({ method, protocol: 'http:', hostname: 'warden.bench', path, query: {}, headers, body });
	return { url: `http://warden.bench${path}`, init: { method, headers: s.headers as Record<string, string>, ...(body !== undefined ? { body } : {}) } };
}

/** Operations per second of an async `fn`, best of 3 rounds of ~700 ms. */
async function rate(fn: () => Promise<unknown> | unknown): Promise<number> {
	for (let i = 0; i < 300; i++) await fn();
	let best = 0;
	for (let round = 0; round < 3; round++) {
		let n = 0;
		const start = process.hrtime.bigint();
		let elapsed = 0n;
		while (elapsed < 700_000_000n) {
			for (let i = 0; i < 50; i++) await fn();
			n += 50;
			elapsed = process.hrtime.bigint() - start;
		}
		best = Math.max(best, n / (Number(elapsed) / 1e9));
	}
	return best;
}

const behaviors = Array.from({ length: 100 }, (_, i) => ({
	name: `b${i}`,
	metric: i % 2 ? 'aws:num-messages-sent' : 'aws:listening-tcp-ports',
	criteria: i % 2 ? { comparisonOperator: 'greater-than', value: { count: i }, durationSeconds: 300 } : { comparisonOperator: 'not-in-port-set', value: { ports: [22, 443, 8883] } },
}));
const createBody = JSON.stringify({ behaviors: behaviors.slice(0, 10) });
const create = await signed('POST', '/security-profiles/bench', createBody);
const created = await app.request(create.url, create.init);
if (created.status !== 200) throw new Error(`setup failed: ${created.status} ${await created.text()}`);
const targets = ['all/things', 'thinggroup/g', 'thinggroup/other', 'all/unregistered-things'];
for (let i = 0; i < 20; i++) {
	const r = await signed('POST', `/security-profiles/p${i}`, createBody);
	await app.request(r.url, r.init);
	const path = `/security-profiles/p${i}/targets`;
	const query = { securityProfileTargetArn: `arn:aws:iot:us-east-1:123456789012:${targets[i % 4]}` };
	const s = await signer.sign({ method: 'PUT', protocol: 'http:', hostname: 'warden.bench', path, query, headers: { host: 'warden.bench' } });
	const res = await app.request(`http://warden.bench${path}?${new URLSearchParams(query)}`, { method: 'PUT', headers: s.headers as Record<string, string> });
	if (res.status !== 200) throw new Error(`attach failed: ${res.status} ${await res.text()}`);
}

const describe = await signed('GET', '/security-profiles/bench');
const describeBody = await (await app.request(describe.url, describe.init)).text();
const bare = new Hono();
bare.get('/security-profiles/:name', (c) => c.json(JSON.parse(describeBody)));

const validateBody = JSON.stringify({ behaviors });
const validate = await signed('POST', '/security-profile-behaviors/validate', validateBody);
const check = await app.request(validate.url, validate.init);
if (!((await check.json()) as { valid: boolean }).valid) throw new Error('bench behaviors must be valid');

const store = detectConfigStoreFor(db);
const identity = { registered: true, groups: ['g'] };

const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(10);
const rows: [string, number, number][] = [];

const base1 = await rate(async () => (await bare.request('http://warden.bench/security-profiles/bench')).text());
const warden1 = await rate(async () => (await app.request(describe.url, describe.init)).text());
rows.push(['DescribeSecurityProfile (SigV4 + SQLite) vs bare Hono route', warden1, base1]);

const base2 = await rate(() => JSON.parse(validateBody));
const warden2 = await rate(async () => (await app.request(validate.url, validate.init)).text());
rows.push(['Validate 100 behaviors (HTTP + SigV4) vs JSON.parse of the body', warden2, base2]);

const base3 = await rate(() => store.listProfileRecords().filter(() => true));
const warden3 = await rate(() => store.profilesForThing('t', identity));
rows.push(['profilesForThing (cached) vs decoding 21 profiles from SQLite', warden3, base3]);

console.log('operation'.padEnd(66), 'ops/s'.padStart(10), 'baseline/s'.padStart(11), 'ratio'.padStart(8));
for (const [name, ops, base] of rows) console.log(name.padEnd(66), fmt(ops), fmt(base).padStart(11), (ops / base).toFixed(3).padStart(8));
