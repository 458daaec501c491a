/** Defender topic grammar (spec §1.1) and the key table. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { filterMatchesReportTopic, parseDefenderTopic, replyTopic, thingNameProblem } from '../../host/ingest/topics.ts';
import { REPORT_KEYS, lookupKey } from '../../host/ingest/key-table.ts';

const parse = suite('parseDefenderTopic');
parse('report, reply and reserved topics', () => {
	assert.equal(parseDefenderTopic('$aws/things/gw-1/defender/metrics/json'), { kind: 'report', thingName: 'gw-1', format: 'json' });
	assert.equal(parseDefenderTopic('$aws/things/gw-1/defender/metrics/cbor/rejected'), { kind: 'reply', thingName: 'gw-1', format: 'cbor', status: 'rejected' });
	assert.equal(parseDefenderTopic('$aws/things/gw-1/defender/metrics/JSON'), { kind: 'reserved', thingName: 'gw-1' });
	assert.equal(parseDefenderTopic('$aws/things/gw-1/defender/metrics/json/other'), { kind: 'reserved', thingName: 'gw-1' });
	assert.is(parseDefenderTopic('$aws/things/gw-1/shadow/update'), null);
	assert.is(parseDefenderTopic('things/gw-1/defender/metrics/json'), null);
	assert.is(parseDefenderTopic('$aws/things/a/b/defender/metrics/json'), null);
});
parse.run();

const filters = suite('filterMatchesReportTopic');
filters('exact and + filters on report topics are refused; # filters and reply topics are not', () => {
	assert.is(filterMatchesReportTopic('$aws/things/x/defender/metrics/json'), true);
	assert.is(filterMatchesReportTopic('$aws/things/+/defender/metrics/cbor'), true);
	assert.is(filterMatchesReportTopic('$aws/+/+/+/+/+'), true);
	assert.is(filterMatchesReportTopic('+/things/x/defender/metrics/json'), false);
	assert.is(filterMatchesReportTopic('$aws/things/x/defender/metrics/#'), false);
	assert.is(filterMatchesReportTopic('$aws/things/x/defender/metrics/json/accepted'), false);
	assert.is(filterMatchesReportTopic('$aws/things/x/defender/metrics/xml'), false);
});
filters.run();

const reply = suite('replyTopic');
reply('builds the reply topic', () => {
	assert.is(replyTopic('t', 'cbor', 'accepted'), '$aws/things/t/defender/metrics/cbor/accepted');
});
reply.run();

const names = suite('thingNameProblem');
names('length in bytes and control characters', () => {
	assert.is(thingNameProblem('a'.repeat(128)), null);
	assert.is(thingNameProblem('a'.repeat(129)), 'thing name is 129 bytes, more than 128');
	assert.is(thingNameProblem(''), 'thing name must not be empty');
	assert.is(thingNameProblem('a\u0085b'), 'thing name must not contain control characters');
});
names.run();

const keys = suite('lookupKey');
keys('one table: every short name maps back to its long name, no short name repeats', () => {
	const shorts = Object.values(REPORT_KEYS);
	assert.is(new Set(shorts).size, shorts.length);
	for (const [long, short] of Object.entries(REPORT_KEYS)) {
		assert.equal(lookupKey(short), { long, style: 'short' });
		assert.equal(lookupKey(long), { long, style: 'long' });
	}
	assert.is(lookupKey('number'), null);
});
keys.run();
