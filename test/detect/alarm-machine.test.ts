import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NORMAL, consecutive, isInAlarm, step, type AlarmState } from '../../host/detect/engine/alarm-machine.ts';

function run(seq: boolean[], toAlarm: number, toClear: number) {
	let s: AlarmState = NORMAL;
	let n = 0;
	const transitions: string[] = [];
	for (const violates of seq) {
		const r = step(s, { violates, value: { count: n }, at: ++n, toAlarm, toClear, newId: () => `id${n}` });
		s = r.state;
		transitions.push(r.transition ?? '-');
	}
	return { s, transitions };
}

const st = suite('step');
st('alarms after N consecutive violating datapoints; a conforming one resets the streak', () => {
	const { transitions, s } = run([true, true, false, true, true, true], 3, 1);
	assert.equal(transitions, ['-', '-', '-', '-', '-', 'in-alarm']);
	assert.is(s.violationId, 'id6');
	assert.is(s.startTime, 6);
});
st('in alarm: violating datapoints update the last value; M conforming clear', () => {
	const { transitions, s } = run([true, true, false, true, false, false], 1, 2);
	assert.equal(transitions, ['in-alarm', '-', '-', '-', '-', 'alarm-cleared']);
	assert.is(isInAlarm(s), false);
	const mid = run([true, true], 1, 1).s;
	assert.equal(mid.lastViolationValue, { count: 1 });
	assert.is(mid.lastViolationTime, 2);
	assert.is(mid.violationId, 'id1');
});
st('defaults: one datapoint to alarm, one to clear', () => {
	assert.equal(run([true, false, true], 1, 1).transitions, ['in-alarm', 'alarm-cleared', 'in-alarm']);
});
st.run();

const cons = suite('consecutive');
cons('clamps to 1..10, default 1', () => {
	assert.equal([consecutive(undefined), consecutive(0), consecutive(3), consecutive(11), consecutive(2.5)], [1, 1, 3, 10, 1]);
});
cons.run();
