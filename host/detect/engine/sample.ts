/** One raw measurement of one metric for one thing: a report field, or a closed 5-minute bucket. */
import type { MetricValue } from '@aws-sdk/client-iot';

export interface Sample {
	readonly thing: string;
	readonly metric: string;
	/** `''` without a dimension, else `dimensionName|IN` or `dimensionName|NOT_IN`. */
	readonly dimension: string;
	/** Unix ms: report ingest time, or the end of the cloud bucket. */
	readonly at: number;
	readonly value: MetricValue;
}

export function dimensionKey(dimensionName: string | undefined, operator: string | undefined): string {
	return dimensionName ? `${dimensionName}|${operator === 'NOT_IN' ? 'NOT_IN' : 'IN'}` : '';
}
