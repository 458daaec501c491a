/**
 * Every route of every feature (ROUTE_MODULES + tags), with the whole service's migrations:
 * seeded garbage in path labels, query strings and bodies must be answered with an AWS error
 * (4xx) or success, never a 500, and the app keeps serving. Socket-free (`app.request()`).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createApiApp } from '../../host/api/app.ts';
import { createApiContext } from '../../host/api/context.ts';
import { ROUTE_MODULES } from '../../host/api/routes.ts';
import { VirtualClock } from '../../host/clock.ts';
import { MIGRATIONS } from '../../host/server.ts';
import { migrate } from '../../host/storage/database.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';
import { TEST_CREDENTIALS } from './helpers.ts';
import { signedRequest } from './signed-request.ts';

const db = openSqlite(':memory:');
migrate(db, MIGRATIONS);
const errors: string[] = [];
const ctx = createApiContext({ clock: new VirtualClock(), db, log: (level, m) => level === 'error' && errors.push(m) });
const app = createApiApp({ ctx, credentials: TEST_CREDENTIALS, routes: ROUTE_MODULES });

function rng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const LABELS = ['x', 'a:b', '%20', '%00', '..', 'x'.repeat(200), '%F0%9F%92%A9', '0', '-1', 'ABCDEF0123456789abcdef0123456789'];
const QUERY = ['maxResults=0', 'maxResults=999999999999', 'nextToken=%00', 'startTime=yesterday', 'endTime=2026-01-01T00:00:00Z', 'startTime=0',
	'thingName=', 'recursive=maybe', 'expectedVersion=abc', 'taskStatus=NOPE', 'listSuppressedFindings=1', 'securityProfileTargetArn=arn'];
const BODIES = ['', '{', '[]', 'null', '"s"', '{"a":1}', '{"roleArn":5}', '{"tags":{}}', '{"behaviors":[1]}', '{"maxResults":-1}', '{"actionParams":[]}',
	'{"target":{"findingIds":[1]}}', '{"checkName":{},"resourceIdentifier":[]}', '{"auditCheckConfigurations":{"X":{"enabled":"yes"}}}', '{"frequency":"HOURLY","targetCheckNames":"a"}'];

const all = suite('every registered route');

all('seeded garbage never yields a 500', async () => {
	const routes = app.routes.filter((r) => r.method !== 'ALL').map((r) => ({ method: r.method, path: r.path }));
	assert.ok(routes.length >= 20, `only ${routes.length} routes registered`);
	const r = rng(7);
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
	const failures: string[] = [];
	for (const route of routes) {
		for (let i = 0; i < 5; i++) {
			const path = route.path.replace(/:[A-Za-z]+/g, () => pick(LABELS));
			const query = r() < 0.6 ? `?${pick(QUERY)}${r() < 0.5 ? `&${pick(QUERY)}` : ''}` : '';
			const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : pick(BODIES);
			const res = await signedRequest(app, { method: route.method, path: `${path}${query}`, ...(body !== undefined ? { body } : {}) });
			const text = await res.text();
			if (res.status >= 500 || (res.status >= 400 && !res.headers.get('x-amzn-errortype'))) {
				failures.push(`${route.method} ${path}${query} ${body ?? ''} → ${res.status} ${text.slice(0, 160)}`);
			}
		}
	}
	assert.equal(failures, []);
	assert.equal(errors, []);
});

all.run();
