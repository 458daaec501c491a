/**
 * Scheduled-audit firing times (spec §5.4). AWS lets the system choose the start time; Warden
 * documents its choice: every run fires at 00:00:00.000 UTC on its day.
 * - DAILY: every day.
 * - WEEKLY: every `dayOfWeek`.
 * - BIWEEKLY: every other `dayOfWeek`, counted from the first `dayOfWeek` after creation (the anchor).
 * - MONTHLY: on `dayOfMonth` ("1"–"31"); days past the month's end (29–31) and "LAST" fire on the
 *   month's last day.
 */
import { DAY_MS } from './finding.ts';
import { DAYS_OF_WEEK, type DayOfWeek, type Frequency } from './types.ts';

export interface ScheduleSpec {
	frequency: Frequency;
	dayOfWeek?: DayOfWeek | undefined;
	dayOfMonth?: string | undefined;
}

const midnight = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;
const lastDayOf = (y: number, m: number) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();

/** The first firing time strictly after `after` (Unix ms); BIWEEKLY needs its anchor once set. */
export function nextRunAfter(s: ScheduleSpec, after: number, anchor?: number): number {
	const first = midnight(after) + DAY_MS; // the next midnight strictly after `after`
	switch (s.frequency) {
		case 'DAILY':
			return first;
		case 'WEEKLY':
		case 'BIWEEKLY': {
			const want = DAYS_OF_WEEK.indexOf(s.dayOfWeek ?? 'SUN');
			if (s.frequency === 'BIWEEKLY' && anchor !== undefined) {
				if (anchor > after) return anchor;
				const periods = Math.floor((after - anchor) / (14 * DAY_MS)) + 1;
				return anchor + periods * 14 * DAY_MS;
			}
			const dow = new Date(first).getUTCDay();
			return first + ((want - dow + 7) % 7) * DAY_MS;
		}
		case 'MONTHLY': {
			const d = new Date(first);
			let y = d.getUTCFullYear();
			let m = d.getUTCMonth();
			for (;;) {
				const last = lastDayOf(y, m);
				const day = s.dayOfMonth === 'LAST' || s.dayOfMonth === undefined ? last : Math.min(Number(s.dayOfMonth), last);
				const t = Date.UTC(y, m, day);
				if (t >= first) return t;
				m += 1;
				if (m === 12) {
					m = 0;
					y += 1;
				}
			}
		}
	}
}
