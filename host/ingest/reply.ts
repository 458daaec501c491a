/**
 * The accepted/rejected reply (spec §1.5, decisions): `{thingName, reportId, status, timestamp,
 * statusDetails?}`, JSON on json topics and a CBOR map with the same keys on cbor topics.
 */
import { encode as encodeCbor } from 'cbor-x';
import type { ReportFormat } from './report-types.ts';

export interface ReportReply {
	thingName: string;
	/** The integer report_id; omitted only when it could not be read. */
	reportId?: number;
	status: 'ACCEPTED' | 'REJECTED';
	/** Unix ms. */
	timestamp: number;
	statusDetails?: { ErrorCode: string; ErrorMessage: string };
}

/** The device-visible ErrorCodes (decisions: the agent maps them 1, 2, 3). */
export const REPLY_ERROR_CODES = { invalid: 'InvalidPayload', throttled: 'Throttled' } as const;

export function encodeReply(reply: ReportReply, format: ReportFormat): Buffer {
	const body: Record<string, unknown> = { thingName: reply.thingName };
	if (reply.reportId !== undefined) body.reportId = reply.reportId;
	body.status = reply.status;
	body.timestamp = reply.timestamp;
	if (reply.statusDetails) body.statusDetails = { ...reply.statusDetails };
	return format === 'json' ? Buffer.from(JSON.stringify(body)) : Buffer.from(encodeCbor(body));
}
