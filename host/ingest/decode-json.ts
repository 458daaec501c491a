/**
 * JSON report decoding: size cap, strict UTF-8 (invalid sequences rejected, not replaced),
 * nesting-depth cap checked on the text before JSON.parse, then JSON.parse.
 */
import { REPORT_LIMITS, invalid } from './limits.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decode a JSON payload into a plain value, or raise WARDEN_ERR_REPORT_INVALID. */
export function decodeJson(payload: Uint8Array): unknown {
	if (payload.length > REPORT_LIMITS.maxPayloadBytes) {
		invalid(`payload is ${payload.length} bytes, more than the limit of ${REPORT_LIMITS.maxPayloadBytes}`);
	}
	if (payload.length === 0) invalid('payload is empty');
	let text: string;
	try {
		text = utf8.decode(payload);
	} catch {
		invalid('payload is not valid UTF-8');
	}
	checkDepth(text);
	try {
		return JSON.parse(text) as unknown;
	} catch (e) {
		invalid(`payload is not valid JSON: ${(e as Error).message}`);
	}
}

/** Reject nesting deeper than the cap without building anything (strings are skipped). */
function checkDepth(text: string): void {
	let depth = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 0x22 /* " */) {
			for (i++; i < text.length; i++) {
				const d = text.charCodeAt(i);
				if (d === 0x5c /* \ */) i++;
				else if (d === 0x22) break;
			}
		} else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
			if (++depth > REPORT_LIMITS.maxDepth) invalid(`payload nests deeper than ${REPORT_LIMITS.maxDepth} levels`);
		} else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
			depth--;
		}
	}
}
