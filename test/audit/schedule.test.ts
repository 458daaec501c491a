/** Scheduled-audit firing times (spec §5.4): UTC midnight, WEEKLY/BIWEEKLY day of week, MONTHLY incl. LAST and 29–31. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { nextRunAfter } from '../../host/audit/schedule.ts';

const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const next = suite('nextRunAfter');

next('DAILY fires at the next UTC midnight, strictly after', () => {
	assert.is(new Date(nextRunAfter({ frequency: 'DAILY' }, Date.UTC(2026, 0, 1, 13, 5))).toISOString(), '2026-01-02T00:00:00.000Z');
	assert.is(iso(nextRunAfter({ frequency: 'DAILY' }, Date.UTC(2026, 0, 2))), '2026-01-03');
});

next('WEEKLY fires on the day of week', () => {
	// 2026-01-01 is a Thursday.
	assert.is(iso(nextRunAfter({ frequency: 'WEEKLY', dayOfWeek: 'MON' }, Date.UTC(2026, 0, 1, 8))), '2026-01-05');
	assert.is(iso(nextRunAfter({ frequency: 'WEEKLY', dayOfWeek: 'FRI' }, Date.UTC(2026, 0, 1, 8))), '2026-01-02');
	assert.is(iso(nextRunAfter({ frequency: 'WEEKLY', dayOfWeek: 'THU' }, Date.UTC(2026, 0, 1, 8))), '2026-01-08');
	assert.is(iso(nextRunAfter({ frequency: 'WEEKLY', dayOfWeek: 'MON' }, Date.UTC(2026, 0, 5))), '2026-01-12');
});

next('BIWEEKLY fires every other week from its anchor', () => {
	const spec = { frequency: 'BIWEEKLY' as const, dayOfWeek: 'TUE' as const };
	const anchor = nextRunAfter(spec, Date.UTC(2026, 0, 1));
	assert.is(iso(anchor), '2026-01-06');
	assert.is(iso(nextRunAfter(spec, anchor, anchor)), '2026-01-20');
	assert.is(iso(nextRunAfter(spec, Date.UTC(2026, 0, 13, 12), anchor)), '2026-01-20');
	assert.is(iso(nextRunAfter(spec, Date.UTC(2026, 0, 20), anchor)), '2026-02-03');
	assert.is(iso(nextRunAfter(spec, Date.UTC(2026, 0, 2), anchor)), '2026-01-06');
});

next('MONTHLY: day of month, 29-31 and LAST fall back to the last day', () => {
	assert.is(iso(nextRunAfter({ frequency: 'MONTHLY', dayOfMonth: '15' }, Date.UTC(2026, 0, 20))), '2026-02-15');
	assert.is(iso(nextRunAfter({ frequency: 'MONTHLY', dayOfMonth: '15' }, Date.UTC(2026, 0, 14, 23))), '2026-01-15');
	assert.is(iso(nextRunAfter({ frequency: 'MONTHLY', dayOfMonth: 'LAST' }, Date.UTC(2026, 1, 1))), '2026-02-28');
	assert.is(iso(nextRunAfter({ frequency: 'MONTHLY', dayOfMonth: 'LAST' }, Date.UTC(2028, 1, 1))), '2028-02-29');
	assert.is(iso(nextRunAfter({ frequency: 'MONTHLY', dayOfMonth: 'LAST' }, Date.UTC(2026, 1, 28))), '2026-03-31');
	assert.is(iso(nextRunAfter({ frequency: 'MONTHLY', dayOfMonth: '31' }, Date.UTC(2026, 3, 2))), '2026-04-30');
	assert.is(iso(nextRunAfter({ frequency: 'MONTHLY', dayOfMonth: '30' }, Date.UTC(2026, 1, 10))), '2026-02-28');
	assert.is(iso(nextRunAfter({ frequency: 'MONTHLY', dayOfMonth: '1' }, Date.UTC(2026, 11, 1))), '2027-01-01');
});

next.run();
