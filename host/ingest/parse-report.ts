/** Payload bytes → canonical DeviceReport: decode (JSON or CBOR) then validate (spec §1). */
import type { DeviceReport, ReportFormat } from './report-types.ts';
import { decodeCbor } from './decode-cbor.ts';
import { decodeJson } from './decode-json.ts';
import { validateReport } from './validate-report.ts';

/** Decode and validate; every failure is a WARDEN_ERR_REPORT_INVALID whose message names the rule. */
export function parseReport(payload: Uint8Array, format: ReportFormat): DeviceReport {
	return validateReport(format === 'json' ? decodeJson(payload) : decodeCbor(payload));
}

/**
 * Best effort, for the reply of a rejected report: the integer report_id if the payload decodes
 * far enough to read one (long or short header), else null.
 */
export function peekReportId(payload: Uint8Array, format: ReportFormat): number | null {
	try {
		const raw = (format === 'json' ? decodeJson(payload) : decodeCbor(payload)) as Record<string, unknown>;
		const h = (raw?.header ?? raw?.hed) as Record<string, unknown> | undefined;
		const id = h?.report_id ?? h?.rid;
		return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null;
	} catch {
		return null;
	}
}
