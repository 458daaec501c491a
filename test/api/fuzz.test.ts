/**
 * Bounded, seeded fuzz of request bodies, path labels and query parameters against every Detect
 * control-plane route through `app.request()` (no sockets, in-memory SQLite): bad input is a 4xx
 * with an AWS error type, never a 500, and the app keeps serving.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createApiApp } from '../../host/api/app.ts';
import { createApiContext } from '../../host/api/context.ts';
import { MAX_BODY_BYTES } from '../../host/api/request.ts';
import { registerRoutes } from '../../host/detect/config/api-routes.ts';
import { systemClock } from '../../host/clock.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';
import { TEST_CREDENTIALS } from './helpers.ts';
import { signedRequest } from './signed-request.ts';

const db = openSqlite(':memory:');
const logs: string[] = [];
const app = createApiApp({ ctx: createApiContext({ clock: systemClock, db, log: (l, m) => logs.push(`${l}: ${m}`) }), credentials: TEST_CREDENTIALS, routes: [registerRoutes] });

/** mulberry32: a small deterministic PRNG so failures reproduce. */
function rng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const WRITE_ROUTES: [string, string][] = [
	['POST', '/security-profiles/fz'],
	['PATCH', '/security-profiles/fz'],
	['POST', '/security-profile-behaviors/validate'],
	['POST', '/custom-metric/fzm'],
	['PATCH', '/custom-metric/fzm'],
	['POST', '/dimensions/fzd'],
	['PATCH', '/dimensions/fzd'],
];

async function expectAwsError(res: Response, status: number, type: string): Promise<string> {
	assert.is(res.status, status);
	assert.is(res.headers.get('x-amzn-errortype'), type);
	const body = (await res.json()) as { message: string };
	assert.type(body.message, 'string');
	return body.message;
}

const bodies = suite('malformed bodies');

bodies('malformed JSON → 400 naming the problem, on every write route', async () => {
	for (const [method, path] of WRITE_ROUTES) {
		for (const body of ['{', '{"a":}', 'nul', '{"a":1}}', '\u0000']) {
			const msg = await expectAwsError(await signedRequest(app, { method, path, body }), 400, 'InvalidRequestException');
			assert.match(msg, /^request body is not valid JSON/);
		}
	}
});

bodies('a JSON body that is not an object → 400', async () => {
	for (const [method, path] of WRITE_ROUTES) {
		for (const body of ['[]', '1', '"x"', 'null', 'true']) {
			const msg = await expectAwsError(await signedRequest(app, { method, path, body }), 400, 'InvalidRequestException');
			assert.match(msg, /^request body must be an object/);
		}
	}
});

bodies('invalid UTF-8 → 400', async () => {
	const msg = await expectAwsError(await signedRequest(app, { method: 'POST', path: '/dimensions/x', body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }), 400, 'InvalidRequestException');
	assert.is(msg, 'request body is not valid UTF-8');
});

bodies('oversize body → 400, and the app still serves', async () => {
	const big = `{"securityProfileDescription":"${'a'.repeat(MAX_BODY_BYTES)}"}`;
	const msg = await expectAwsError(await signedRequest(app, { method: 'POST', path: '/security-profiles/big', body: big }), 400, 'InvalidRequestException');
	assert.match(msg, /larger than/);
	const ok = await signedRequest(app, { path: '/security-profiles' });
	assert.is(ok.status, 200);
});

bodies('wrong member types → 400 naming the member', async () => {
	const cases: [string, string, unknown, RegExp][] = [
		['POST', '/security-profiles/t1', { behaviors: 'x' }, /^behaviors must be a list \(got string\)$/],
		['POST', '/security-profiles/t1', { securityProfileDescription: 5 }, /^securityProfileDescription must be a string/],
		['POST', '/security-profiles/t1', { alertTargets: { SNS: { alertTargetArn: 1 } } }, /^alertTargets\.SNS\.alertTargetArn must be a string/],
		['POST', '/security-profiles/t1', { alertTargets: { EMAIL: {} } }, /^alertTargets key EMAIL is not supported/],
		['POST', '/security-profiles/t1', { tags: [{ Key: 7 }] }, /^tags\[0\]\.Key must be a string/],
		['POST', '/security-profiles/t1', { metricsExportConfig: { mqttTopic: 'a', roleArn: 'short' } }, /^metricsExportConfig\.roleArn must be at least 20/],
		['POST', '/security-profiles/t1', { additionalMetricsToRetainV2: [{ metric: 'aws:bogus' }] }, /^additionalMetricsToRetainV2\[0\]\.metric aws:bogus is not a supported metric/],
		['POST', '/security-profile-behaviors/validate', {}, /^behaviors is required$/],
		['POST', '/custom-metric/m1', { metricType: 3 }, /^metricType must be a string/],
		['PATCH', '/custom-metric/m1', {}, /^displayName is required$/],
		['POST', '/dimensions/d1', { type: 'TOPIC_FILTER', stringValues: 'a/b' }, /^stringValues must be a list/],
		['POST', '/dimensions/d1', { type: 'OTHER', stringValues: ['a'] }, /^type must be one of TOPIC_FILTER$/],
	];
	for (const [method, path, body, re] of cases) {
		const msg = await expectAwsError(await signedRequest(app, { method, path, body: JSON.stringify(body) }), 400, 'InvalidRequestException');
		assert.match(msg, re);
	}
});

bodies.run();

const params = suite('malformed path labels and query parameters');

params('bad names in the path → 400', async () => {
	for (const name of ['a%20b', '%F0%9F%92%A9', 'x'.repeat(129), '%E0%A4%A', 'a%2Fb']) {
		const res = await signedRequest(app, { path: `/security-profiles/${name}` });
		assert.ok(res.status === 400 || res.status === 404, `${name}: ${res.status}`);
		assert.ok(res.headers.get('x-amzn-errortype'));
	}
	const msg = await expectAwsError(await signedRequest(app, { path: '/dimensions/a%20b' }), 400, 'InvalidRequestException');
	assert.is(msg, 'name must match [a-zA-Z0-9:_-]+');
});

params('bad query values → 400 naming the parameter', async () => {
	const cases: [string, RegExp][] = [
		['/security-profiles?maxResults=0', /^maxResults must be an integer from 1 to 250$/],
		['/security-profiles?maxResults=abc', /^maxResults/],
		['/security-profiles?maxResults=1&maxResults=2', /at most once/],
		['/dimensions?nextToken=%00%01', /^nextToken is invalid$/],
		['/security-profiles-for-target', /^query parameter securityProfileTargetArn is required$/],
		['/security-profiles-for-target?securityProfileTargetArn=arn:aws:iot:us-east-1:123456789012:all/things&recursive=yes', /^recursive must be true or false$/],
		['/security-profiles?dimensionName=a%20b', /^dimensionName must match/],
	];
	for (const [path, re] of cases) {
		const msg = await expectAwsError(await signedRequest(app, { path }), 400, 'InvalidRequestException');
		assert.match(msg, re);
	}
	const v = await expectAwsError(await signedRequest(app, { method: 'PATCH', path: '/security-profiles/x?expectedVersion=-1', body: '{}' }), 400, 'InvalidRequestException');
	assert.match(v, /^expectedVersion must be an integer/);
});

params.run();

const random = suite('seeded random fuzz');

function randomJson(r: () => number, depth = 0): unknown {
	const k = Math.floor(r() * (depth > 3 ? 5 : 8));
	switch (k) {
		case 0: return null;
		case 1: return r() < 0.5;
		case 2: return [0, -1, 1.5, 65536, 1e308, -0, 300, 10, 11][Math.floor(r() * 9)];
		case 3: return ['', 'aws:num-messages-sent', 'aws:listening-tcp-ports', 'greater-than', 'in-set', 'p90', 'TOPIC_FILTER', 'a/#', '#/a', '\u0000', 'x'.repeat(300), 'HIGH', '10.0.0.0/8'][Math.floor(r() * 13)];
		case 4: return undefined;
		case 5: return Array.from({ length: Math.floor(r() * 4) }, () => randomJson(r, depth + 1));
		default: {
			const keys = ['name', 'metric', 'criteria', 'value', 'count', 'ports', 'cidrs', 'comparisonOperator', 'durationSeconds', 'behaviors', 'statisticalThreshold', 'statistic',
				'mlDetectionConfig', 'metricDimension', 'dimensionName', 'stringValues', 'type', 'metricType', 'displayName', 'clientRequestToken', 'alertTargets', 'SNS', 'tags',
				'additionalMetricsToRetainV2', 'deleteBehaviors', 'metricsExportConfig', 'consecutiveDatapointsToAlarm'];
			const o: Record<string, unknown> = {};
			for (let i = Math.floor(r() * 5); i > 0; i--) o[keys[Math.floor(r() * keys.length)]!] = randomJson(r, depth + 1);
			return o;
		}
	}
}

random('600 random bodies on write routes: only 200 or 4xx AWS errors, never 500', async () => {
	const r = rng(20261203);
	const seen = new Map<number, number>();
	for (let i = 0; i < 600; i++) {
		const [method, path] = WRITE_ROUTES[i % WRITE_ROUTES.length]!;
		const body = JSON.stringify(randomJson(r)) ?? '{}';
		const res = await signedRequest(app, { method, path: path.replace(/fz\w*$/, (m) => `${m}${i % 3}`), body });
		seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
		assert.ok(res.status === 200 || (res.status >= 400 && res.status < 500), `status ${res.status} for ${method} ${path} ${body}`);
		if (res.status !== 200) assert.ok(res.headers.get('x-amzn-errortype'), `no error type for ${body}`);
		await res.arrayBuffer();
	}
	assert.ok((seen.get(400) ?? 0) > 100, 'the fuzz must mostly hit validation');
	assert.equal(logs.filter((l) => l.startsWith('error')), []);
	const ok = await signedRequest(app, { path: '/custom-metrics' });
	assert.is(ok.status, 200);
});

random.run();
