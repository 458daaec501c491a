import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compareNumber, conforms } from '../../host/detect/engine/compare.ts';
import { cidrContains, hostOf, parseCidr, parseIp } from '../../host/detect/engine/ip-match.ts';
import { topicMatches, dimensionSelects } from '../../host/detect/engine/topic-filter.ts';

const num = suite('compareNumber');
num('each numeric operator at, below and above the threshold', () => {
	const ops = { 'less-than': [true, false, false], 'less-than-equals': [true, true, false], 'greater-than': [false, false, true], 'greater-than-equals': [false, true, true] };
	for (const [op, want] of Object.entries(ops)) assert.equal([compareNumber(op, 4, 5), compareNumber(op, 5, 5), compareNumber(op, 6, 5)], want, op);
});
num('non-numeric operator is not comparable', () => {
	assert.is(compareNumber('in-set', 1, 1), undefined);
});
num.run();

const conf = suite('conforms');
conf('count and number values', () => {
	assert.is(conforms('less-than', { count: 5 }, { count: 4 }), true);
	assert.is(conforms('less-than', { count: 5 }, { count: 5 }), false);
	assert.is(conforms('greater-than-equals', { number: -1.5 }, { number: -1.5 }), true);
	assert.is(conforms('less-than', { ports: [1] }, { count: 4 }), undefined);
});
conf('in-cidr-set / not-in-cidr-set, IPv4 and IPv6', () => {
	const v = { cidrs: ['10.0.0.0/8', '2001:db8::/32'] };
	assert.is(conforms('in-cidr-set', v, { cidrs: ['10.1.2.3', '2001:db8:1::5'] }), true);
	assert.is(conforms('in-cidr-set', v, { cidrs: ['10.1.2.3', '192.168.1.1'] }), false);
	assert.is(conforms('not-in-cidr-set', v, { cidrs: ['192.168.1.1'] }), true);
	assert.is(conforms('not-in-cidr-set', v, { cidrs: ['192.168.1.1', '2001:db8::1'] }), false);
});
conf('in-port-set / not-in-port-set', () => {
	assert.is(conforms('in-port-set', { ports: [22, 443] }, { ports: [443, 22] }), true);
	assert.is(conforms('in-port-set', { ports: [22, 443] }, { ports: [443, 8080] }), false);
	assert.is(conforms('not-in-port-set', { ports: [23] }, { ports: [22] }), true);
	assert.is(conforms('not-in-port-set', { ports: [23] }, { ports: [22, 23] }), false);
});
conf('in-set / not-in-set for numbers and strings', () => {
	assert.is(conforms('in-set', { numbers: [1, 2] }, { numbers: [2] }), true);
	assert.is(conforms('in-set', { numbers: [1, 2] }, { numbers: [3] }), false);
	assert.is(conforms('not-in-set', { strings: ['root'] }, { strings: ['alice'] }), true);
	assert.is(conforms('not-in-set', { strings: ['root'] }, { strings: ['alice', 'root'] }), false);
});
conf('an empty list always conforms (spec §1.4)', () => {
	assert.is(conforms('in-port-set', { ports: [22] }, { ports: [] }), true);
	assert.is(conforms('not-in-cidr-set', { cidrs: ['0.0.0.0/0'] }, { cidrs: [] }), true);
});
conf.run();

const ip = suite('parseCidr');
ip('prefixes, bare addresses and rejects', () => {
	assert.is(cidrContains(parseCidr('192.168.0.0/16')!, '192.168.255.1'), true);
	assert.is(cidrContains(parseCidr('192.168.0.0/16')!, '192.169.0.1'), false);
	assert.is(cidrContains(parseCidr('1.2.3.4')!, '1.2.3.4'), true);
	assert.is(cidrContains(parseCidr('0.0.0.0/0')!, '8.8.8.8'), true);
	assert.is(cidrContains(parseCidr('::/0')!, '8.8.8.8'), false);
	assert.is(cidrContains(parseCidr('10.0.0.0/8')!, '::ffff:10.0.0.1'), true);
	assert.is(cidrContains(parseCidr('fe80::/10')!, 'fe80::1%eth0'), true);
	assert.is(parseCidr('10.0.0.0/33'), undefined);
	assert.is(parseCidr('nope'), undefined);
	assert.is(parseIp('::1')!.v, 1n);
});
ip.run();

const host = suite('hostOf');
host('IPv4, bracketed IPv6 and bare forms', () => {
	assert.is(hostOf('203.0.113.5:443'), '203.0.113.5');
	assert.is(hostOf('[2001:db8::1]:8883'), '2001:db8::1');
	assert.is(hostOf('2001:db8::1'), '2001:db8::1');
	assert.is(hostOf('10.0.0.1'), '10.0.0.1');
});
host.run();

const topic = suite('topicMatches');
topic('wildcards and client id substitution', () => {
	assert.is(topicMatches('a/+/c', 'a/b/c', 'x'), true);
	assert.is(topicMatches('a/+/c', 'a/b/d', 'x'), false);
	assert.is(topicMatches('a/#', 'a', 'x'), true);
	assert.is(topicMatches('a/#', 'a/b/c', 'x'), true);
	assert.is(topicMatches('#', '$aws/things/t/shadow', 'x'), false);
	assert.is(topicMatches('dev/${iot:ClientId}/up', 'dev/c1/up', 'c1'), true);
	assert.is(topicMatches('dev/${iot:ClientId}/up', 'dev/c2/up', 'c1'), false);
	assert.is(dimensionSelects(['a/#'], 'NOT_IN', 'b/c', 'x'), true);
	assert.is(dimensionSelects(['a/#'], 'NOT_IN', 'a/c', 'x'), false);
});
topic.run();
