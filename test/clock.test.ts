import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock, ScaledClock } from '../host/clock.ts';

const virtual = suite('VirtualClock');

virtual('fires timers in time order, then by insertion order', () => {
	const c = new VirtualClock(1000);
	const seen: string[] = [];
	c.setTimer(30, () => seen.push(`c@${c.now()}`));
	c.setTimer(10, () => seen.push(`a@${c.now()}`));
	c.setTimer(10, () => seen.push(`b@${c.now()}`));
	c.advance(20);
	assert.equal(seen, ['a@1010', 'b@1010']);
	assert.is(c.now(), 1020);
	c.advance(100);
	assert.equal(seen, ['a@1010', 'b@1010', 'c@1030']);
	assert.is(c.now(), 1120);
});

virtual('timers scheduled by timers fire within the same advance', () => {
	const c = new VirtualClock(0);
	const seen: number[] = [];
	const tick = () => {
		seen.push(c.now());
		if (seen.length < 5) c.setTimer(300_000, tick);
	};
	c.setTimer(300_000, tick);
	c.advance(14 * 24 * 3600_000);
	assert.equal(seen, [300_000, 600_000, 900_000, 1_200_000, 1_500_000]);
	assert.is(c.pendingTimers, 0);
});

virtual('cancel removes a timer; time never moves backwards', () => {
	const c = new VirtualClock(500);
	let fired = 0;
	const cancel = c.setTimer(5, () => fired++);
	cancel();
	c.advance(10);
	c.advanceTo(100);
	assert.is(fired, 0);
	assert.is(c.now(), 510);
});

virtual.run();

// ---

const scaled = suite('ScaledClock');

scaled('rejects a scale below 1 or not finite', () => {
	assert.throws(() => new ScaledClock(0.5), /scale/);
	assert.throws(() => new ScaledClock(Number.POSITIVE_INFINITY), /scale/);
});

scaled('starts at the given virtual time and runs faster than wall time', async () => {
	const c = new ScaledClock(1000, 0);
	const t0 = c.now();
	assert.ok(t0 >= 0 && t0 < 1000 * 50);
	const keepAlive = setTimeout(() => {}, 5000); // the clock's timers are unref'd
	const fired = await new Promise<number>((resolve) => c.setTimer(20_000, () => resolve(c.now())));
	clearTimeout(keepAlive);
	// 20 s of virtual time pass in ~20 ms of wall time
	assert.ok(fired >= 20_000, `fired at ${fired}`);
});

scaled.run();
