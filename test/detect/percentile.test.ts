import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { StatisticalPopulations, parseStatistic, percentile } from '../../host/detect/engine/percentile.ts';

const ps = suite('parseStatistic');
ps('AWS statistic names', () => {
	assert.equal(['p0', 'p0.1', 'p0.01', 'p1', 'p10', 'p50', 'p90', 'p99', 'p99.9', 'p99.99', 'p100'].map(parseStatistic), [0, 0.001, 0.0001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999, 1]);
	assert.is(parseStatistic('p101'), undefined);
	assert.is(parseStatistic('90'), undefined);
	assert.is(parseStatistic(undefined), undefined);
});
ps.run();

const pc = suite('percentile');
pc('nearest rank over 1..100', () => {
	const v = Array.from({ length: 100 }, (_, i) => i + 1);
	assert.is(percentile(v, 0), 1);
	assert.is(percentile(v, 0.5), 50);
	assert.is(percentile(v, 0.9), 90);
	assert.is(percentile(v, 0.999), 100);
	assert.is(percentile(v, 1), 100);
	assert.is(percentile([], 0.5), undefined);
});
pc.run();

const pop = suite('StatisticalPopulations');
pop('refreshes at most every refreshMs and drops stale devices', () => {
	const p = new StatisticalPopulations(1000, 10_000, 2);
	p.record('k', 'a', 1, 0);
	assert.is(p.threshold('k', 1, 0), undefined, 'one device is too few');
	p.record('k', 'b', 9, 1);
	assert.is(p.threshold('k', 1, 500), undefined, 'cached until refresh');
	assert.is(p.threshold('k', 1, 1000), 9);
	p.record('k', 'b', 3, 20_000);
	assert.is(p.threshold('k', 1, 20_000), undefined, 'a is stale and left; b alone is too few');
	assert.is(p.size, 1);
});
pop.run();
