/**
 * The Defender report topics (spec §1.1): `$aws/things/{thingName}/defender/metrics/{json|cbor}`
 * for reports, with `/accepted` and `/rejected` replies. The format segment is lower case.
 */
import type { ReportFormat } from './report-types.ts';
import { REPORT_LIMITS } from './limits.ts';
import { hasControlChars } from './validate-fields.ts';

const PREFIX = '$aws/things/';
const METRICS = '/defender/metrics/';

export type DefenderTopic =
	| { kind: 'report'; thingName: string; format: ReportFormat }
	| { kind: 'reply'; thingName: string; format: ReportFormat; status: 'accepted' | 'rejected' }
	/** Under `$aws/things/{x}/defender/metrics/` but neither a report nor a reply topic. */
	| { kind: 'reserved'; thingName: string };

/** Classify a topic; null when it is not under `$aws/things/{x}/defender/metrics/`. */
export function parseDefenderTopic(topic: string): DefenderTopic | null {
	if (!topic.startsWith(PREFIX)) return null;
	const at = topic.indexOf(METRICS, PREFIX.length);
	if (at < 0) return null;
	const thingName = topic.slice(PREFIX.length, at);
	if (thingName.includes('/')) return null;
	const rest = topic.slice(at + METRICS.length).split('/');
	const format = rest[0];
	if (format !== 'json' && format !== 'cbor') return { kind: 'reserved', thingName };
	if (rest.length === 1) return { kind: 'report', thingName, format };
	if (rest.length === 2 && (rest[1] === 'accepted' || rest[1] === 'rejected')) {
		return { kind: 'reply', thingName, format, status: rest[1] };
	}
	return { kind: 'reserved', thingName };
}

/**
 * True for a subscription filter that names report topics (publish-only, spec §1.1) exactly or
 * through `+`. Filters with `#` (e.g. `.../defender/metrics/#` for both replies) are allowed; the
 * broker never forwards reports to anyone, so they only ever receive replies.
 */
export function filterMatchesReportTopic(filter: string): boolean {
	const f = filter.split('/');
	const t = ['$aws', 'things', 'x', 'defender', 'metrics', 'json'];
	for (let i = 0; i < f.length; i++) {
		const seg = f[i];
		if (seg === '#') return false;
		if (i >= t.length) return false;
		if (seg === '+') {
			if (i === 0) return false; // [MQTT-4.7.2-1]: a leading wildcard never matches `$` topics
			continue;
		}
		if (i === 2) continue; // any thing name
		if (i === 5) {
			if (seg !== 'json' && seg !== 'cbor') return false;
			continue;
		}
		if (seg !== t[i]) return false;
	}
	return f.length === t.length;
}

export function replyTopic(thingName: string, format: ReportFormat, status: 'accepted' | 'rejected'): string {
	return `${PREFIX}${thingName}${METRICS}${format}/${status}`;
}

/** spec §1.1: a thing name is 1..128 bytes of UTF-8 without control characters. Null when valid. */
export function thingNameProblem(name: string): string | null {
	const bytes = Buffer.byteLength(name, 'utf8');
	if (bytes === 0) return 'thing name must not be empty';
	if (bytes > REPORT_LIMITS.maxThingNameBytes) return `thing name is ${bytes} bytes, more than ${REPORT_LIMITS.maxThingNameBytes}`;
	if (hasControlChars(name)) return 'thing name must not contain control characters';
	return null;
}
