import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AgentClock } from '../../host/agent-runtime/agent-clock.ts';
import { VirtualClock } from '../../host/clock.ts';

const C = suite('AgentClock');
C('follows the clock when nothing is awaited', () => {
	const clock = new VirtualClock();
	const c = new AgentClock(clock, 100, () => false);
	clock.advance(1234);
	assert.is(c.sample(), 1234);
});
C('runs 1/scale as fast while waiting, and never goes back', () => {
	const clock = new VirtualClock();
	let waiting = false;
	const c = new AgentClock(clock, 10, () => waiting);
	clock.advance(100);
	waiting = true;
	assert.is(c.sample(), 100);
	clock.advance(1000);
	assert.is(c.sample(), 200);
	waiting = false;
	assert.is(c.sample(), 200);
	clock.advance(50);
	assert.is(c.sample(), 250);
});
C('scale 1 hides nothing; bad scales are refused', () => {
	const clock = new VirtualClock();
	const c = new AgentClock(clock, 1, () => true);
	clock.advance(500);
	assert.is(c.sample(), 500);
	for (const bad of [0, 0.5, NaN, Infinity]) {
		assert.throws(() => new AgentClock(clock, bad, () => false), (e: { code?: string }) => e.code === 'WARDEN_ERR_CONFIG');
	}
});
C.run();
