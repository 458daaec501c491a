/** HTTP routes for Detect violations and metric values (spec §7.2); thin over ./violations.ts. */
import type { ApiApp, ApiContext } from '../../api/context.ts';
import { checkObject, checkString, NAME_RULE } from '../../api/fields.ts';
import { type ApiCtx, jsonBody, pageQuery, pathParam, queryBool, queryDate, queryString } from '../../api/request.ts';
import { SqliteDetectStore } from '../store/sqlite-engine-store.ts';
import type { CriteriaType, VerificationState } from '../store/engine-store.ts';
import { CRITERIA_TYPES, VERIFICATION_STATES, listActiveViolations, listMetricValues, listViolationEvents, putVerificationStateOnViolation } from './violations.ts';

/** Thing names are 1–128 characters; unregistered things are named by their MQTT client id, so no pattern. */
const THING_RULE = { min: 1, max: 128 };
const VIOLATION_ID_RULE = { min: 1, max: 128, pattern: /^[a-zA-Z0-9-]+$/, patternText: '[a-zA-Z0-9-]+' };

function filters(c: ApiCtx) {
	return {
		thingName: queryString(c, 'thingName', THING_RULE),
		securityProfileName: queryString(c, 'securityProfileName', NAME_RULE),
		behaviorCriteriaType: queryString(c, 'behaviorCriteriaType', { oneOf: CRITERIA_TYPES }) as CriteriaType | undefined,
		listSuppressedAlerts: queryBool(c, 'listSuppressedAlerts'),
		verificationState: queryString(c, 'verificationState', { oneOf: VERIFICATION_STATES }) as VerificationState | undefined,
		...pageQuery(c),
	};
}

export function registerRoutes(app: ApiApp, ctx: ApiContext): void {
	const store = new SqliteDetectStore(ctx.db);
	app.get('/active-violations', (c) => c.json(listActiveViolations(store, filters(c))));
	app.get('/violation-events', (c) =>
		c.json(listViolationEvents(store, { ...filters(c), startTime: queryDate(c, 'startTime', true)!, endTime: queryDate(c, 'endTime', true)! })),
	);
	app.post('/violations/verification-state/:violationId', (c) => {
		const id = pathParam(c, 'violationId', VIOLATION_ID_RULE);
		const body = checkObject(jsonBody(c), 'request body');
		const verificationState = checkString(body.verificationState, 'verificationState', { oneOf: VERIFICATION_STATES }) as VerificationState;
		const d = body.verificationStateDescription;
		const verificationStateDescription =
			d === undefined || d === null ? undefined : checkString(d, 'verificationStateDescription', { max: 1000, pattern: /^[^\p{C}]*$/u, patternText: 'no control characters' });
		return c.json(putVerificationStateOnViolation(store, ctx.clock.now(), id, { verificationState, verificationStateDescription }));
	});
	app.get('/metric-values', (c) => {
		const dimensionName = queryString(c, 'dimensionName', NAME_RULE);
		return c.json(
			listMetricValues(store, {
				thingName: queryString(c, 'thingName', { ...THING_RULE, required: true })!,
				metricName: queryString(c, 'metricName', { ...NAME_RULE, required: true })!,
				dimensionName,
				dimensionValueOperator: queryString(c, 'dimensionValueOperator', { oneOf: ['IN', 'NOT_IN'] }) as 'IN' | 'NOT_IN' | undefined,
				startTime: queryDate(c, 'startTime', true)!,
				endTime: queryDate(c, 'endTime', true)!,
				...pageQuery(c),
			}),
		);
	});
}
