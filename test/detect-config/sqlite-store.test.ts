/** The SQLite store and its DetectConfigPort side (what the Detect engine reads); no sockets. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { detectConfigStoreFor, SqliteDetectConfigStore } from '../../host/detect/config/sqlite-store.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';
import type { ProfileRecord } from '../../host/detect/config/store.ts';

const ARN = 'arn:aws:iot:us-east-1:123456789012';
const profile = (name: string, extra: Partial<ProfileRecord> = {}): ProfileRecord => ({
	name,
	arn: `${ARN}:securityprofile/${name}`,
	behaviors: [{ name: 'b', metric: 'aws:num-disconnects', criteria: { comparisonOperator: 'greater-than', value: { count: 3 }, durationSeconds: 300 } }],
	version: 1,
	createdAt: 1000,
	modifiedAt: 1000,
	...extra,
});

const store = suite('SqliteDetectConfigStore');

store('profiles round-trip every member', () => {
	const s = new SqliteDetectConfigStore(openSqlite(':memory:'));
	const full = profile('full', {
		description: 'd',
		alertTargets: { SNS: { alertTargetArn: 'arn:aws:sns:us-east-1:123456789012:t', roleArn: 'arn:aws:iam::123456789012:role/r' } },
		additionalMetricsToRetainV2: [{ metric: 'aws:num-messages-sent', metricDimension: { dimensionName: 'tf', operator: 'IN' }, exportMetric: true }],
		metricsExportConfig: { mqttTopic: 'export/t', roleArn: 'arn:aws:iam::123456789012:role/r' },
		tags: [{ Key: 'k', Value: 'v' }],
	});
	s.insertProfile(full);
	assert.equal(s.getProfile('full'), full);
	s.updateProfile({ ...full, description: undefined, version: 2, modifiedAt: 2000 });
	const back = s.getProfile('full')!;
	assert.is(back.description, undefined);
	assert.is(back.version, 2);
	assert.is(back.createdAt, 1000);
	assert.is(s.deleteProfile('full'), true);
	assert.is(s.deleteProfile('full'), false);
	assert.is(s.getProfile('full'), undefined);
});

store('profilesForThing follows targets, and the cache is dropped on every write', () => {
	const s = new SqliteDetectConfigStore(openSqlite(':memory:'));
	s.insertProfile(profile('all'));
	s.insertProfile(profile('reg'));
	s.insertProfile(profile('grp'));
	const unregistered = { registered: false, groups: [] };
	const inGroup = { registered: true, groups: ['parent', 'child'] };
	assert.equal(s.profilesForThing('t', unregistered), []);
	s.attach('all', `${ARN}:all/things`, 1);
	s.attach('reg', `${ARN}:all/registered-things`, 1);
	s.attach('grp', `${ARN}:thinggroup/child`, 1);
	assert.equal(s.profilesForThing('t', unregistered).map((p) => p.name), ['all']);
	assert.equal(s.profilesForThing('t', inGroup).map((p) => p.name), ['all', 'grp', 'reg']);
	assert.is(s.attach('all', `${ARN}:all/things`, 2), false);
	s.updateProfile({ ...s.getProfile('grp')!, behaviors: [], version: 2 });
	assert.is(s.profilesForThing('t', inGroup).find((p) => p.name === 'grp')?.version, 2);
	assert.is(s.detach('reg', `${ARN}:all/registered-things`), true);
	assert.equal(s.profilesForThing('t', inGroup).map((p) => p.name), ['all', 'grp']);
	s.deleteProfile('all');
	assert.equal(s.targetsOf('all'), []);
	assert.equal(s.profilesOnTarget(`${ARN}:all/things`), []);
	assert.equal(s.listProfiles().map((p) => p.name), ['grp', 'reg']);
});

store('custom metric types and dimensions for the engine', () => {
	const s = new SqliteDetectConfigStore(openSqlite(':memory:'));
	assert.is(s.customMetricType('temp'), undefined);
	s.putCustomMetric({ name: 'temp', arn: `${ARN}:custommetric/temp`, metricType: 'number', createdAt: 1, modifiedAt: 1 });
	assert.is(s.customMetricType('temp'), 'number');
	s.putDimension({ name: 'tf', arn: `${ARN}:dimension/tf`, type: 'TOPIC_FILTER', stringValues: ['a/+'], createdAt: 1, modifiedAt: 1 });
	assert.equal(s.dimension('tf'), { name: 'tf', type: 'TOPIC_FILTER', stringValues: ['a/+'] });
	s.putDimension({ ...s.getDimension('tf')!, stringValues: ['b/#'] });
	assert.equal(s.dimension('tf')?.stringValues, ['b/#']);
	s.deleteCustomMetric('temp');
	s.deleteDimension('tf');
	assert.is(s.customMetricType('temp'), undefined);
	assert.is(s.dimension('tf'), undefined);
});

store('detectConfigStoreFor shares one instance per database; data survives reopening the file', async () => {
	const { mkdtempSync, rmSync } = await import('node:fs');
	const { join } = await import('node:path');
	const { tmpdir } = await import('node:os');
	const dir = mkdtempSync(join(tmpdir(), 'warden-dc-'));
	const db = openSqlite(join(dir, 'warden.db'));
	assert.is(detectConfigStoreFor(db), detectConfigStoreFor(db));
	detectConfigStoreFor(db).insertProfile(profile('kept'));
	db.close();
	const again = openSqlite(join(dir, 'warden.db'));
	assert.equal(detectConfigStoreFor(again).getProfile('kept'), profile('kept'));
	again.close();
	rmSync(dir, { recursive: true });
});

store.run();

const change = suite('SqliteDetectConfigStore.onChange');

change('fires once per committed transaction, never for a rolled-back one', () => {
	const s = new SqliteDetectConfigStore(openSqlite(':memory:'));
	let n = 0;
	const off = s.onChange(() => n++);
	s.insertProfile(profile('a'));
	assert.is(n, 1);
	s.transaction(() => {
		s.insertProfile(profile('b'));
		s.attach('b', `${ARN}:all/things`, 1);
		assert.is(n, 1, 'not inside the transaction');
	});
	assert.is(n, 2);
	assert.throws(() =>
		s.transaction(() => {
			s.insertProfile(profile('c'));
			throw new Error('abort');
		}),
	);
	assert.is(n, 2);
	assert.is(s.getProfile('c'), undefined);
	assert.equal(s.listProfiles().map((p) => p.name), ['a', 'b']);
	s.transaction(() => s.getProfile('a'));
	assert.is(n, 2, 'reads do not notify');
	off();
	s.deleteProfile('a');
	assert.is(n, 2);
});

change('a throwing listener does not break the write or other listeners', () => {
	const s = new SqliteDetectConfigStore(openSqlite(':memory:'));
	let other = 0;
	s.onChange(() => {
		throw new Error('listener bug');
	});
	s.onChange(() => other++);
	s.insertProfile(profile('a'));
	assert.is(other, 1);
	assert.ok(s.getProfile('a'));
});

change.run();
