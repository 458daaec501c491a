/**
 * The alarm state machine of one (thing, profile, behavior[, dimension]) — spec §3.5. Pure:
 * the engine persists the state and turns transitions into violation events.
 *
 *   Normal --N consecutive violating datapoints--> InAlarm   (event in-alarm, new violationId)
 *   InAlarm --violating datapoint--> InAlarm                  (lastViolationValue/Time updated)
 *   InAlarm --M consecutive conforming datapoints--> Normal   (event alarm-cleared)
 *   InAlarm --2 days without data / untargeted / behavior removed--> Normal (event alarm-invalidated)
 *
 * N = consecutiveDatapointsToAlarm, M = consecutiveDatapointsToClear (1–10, default 1).
 */
import type { MetricValue } from '@aws-sdk/client-iot';

export interface AlarmState {
	/** Consecutive violating datapoints seen while Normal. */
	readonly violating: number;
	/** Consecutive conforming datapoints seen while InAlarm. */
	readonly conforming: number;
	/** Set while InAlarm. */
	readonly violationId: string | null;
	readonly startTime: number | null;
	readonly lastViolationValue: MetricValue | null;
	readonly lastViolationTime: number | null;
	/** Time of the last datapoint evaluated (for the 2-day invalidation). */
	readonly lastDatapointAt: number;
}

export const NORMAL: AlarmState = Object.freeze({
	violating: 0,
	conforming: 0,
	violationId: null,
	startTime: null,
	lastViolationValue: null,
	lastViolationTime: null,
	lastDatapointAt: 0,
});

export type AlarmTransition = 'in-alarm' | 'alarm-cleared' | null;

export interface StepInput {
	/** Does the datapoint violate the behavior? */
	violates: boolean;
	value: MetricValue;
	at: number;
	/** consecutiveDatapointsToAlarm (1–10). */
	toAlarm: number;
	/** consecutiveDatapointsToClear (1–10). */
	toClear: number;
	/** Makes a fresh violationId when an alarm starts. */
	newId: () => string;
}

export function isInAlarm(s: AlarmState): boolean {
	return s.violationId !== null;
}

/** Apply one datapoint. */
export function step(s: AlarmState, i: StepInput): { state: AlarmState; transition: AlarmTransition } {
	if (!isInAlarm(s)) {
		if (!i.violates) return { state: { ...NORMAL, lastDatapointAt: i.at }, transition: null };
		const violating = s.violating + 1;
		if (violating < i.toAlarm) return { state: { ...NORMAL, violating, lastDatapointAt: i.at }, transition: null };
		return {
			state: { violating: 0, conforming: 0, violationId: i.newId(), startTime: i.at, lastViolationValue: i.value, lastViolationTime: i.at, lastDatapointAt: i.at },
			transition: 'in-alarm',
		};
	}
	if (i.violates) return { state: { ...s, conforming: 0, lastViolationValue: i.value, lastViolationTime: i.at, lastDatapointAt: i.at }, transition: null };
	const conforming = s.conforming + 1;
	if (conforming < i.toClear) return { state: { ...s, conforming, lastDatapointAt: i.at }, transition: null };
	return { state: { ...NORMAL, lastDatapointAt: i.at }, transition: 'alarm-cleared' };
}

/** A state worth persisting (anything but a plain Normal with no streak). */
export function isTrivial(s: AlarmState): boolean {
	return s.violationId === null && s.violating === 0;
}

/** Clamp consecutiveDatapointsTo* to 1–10 (default 1). */
export function consecutive(n: number | undefined): number {
	return n === undefined || !Number.isInteger(n) ? 1 : Math.min(10, Math.max(1, n));
}
