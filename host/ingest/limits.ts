/**
 * Hard limits applied to every device report before and during validation (spec §1.4, §9 item 15:
 * AWS documents none besides the 128 KB MQTT payload limit, so these are Warden's own, documented
 * in docs/decisions.md). They bound memory and CPU per report whatever a client sends.
 */
import { WardenError } from '../errors.ts';

export const REPORT_LIMITS = Object.freeze({
	/** Largest accepted payload in bytes (AWS IoT Core's MQTT payload limit: 128 KiB). */
	maxPayloadBytes: 128 * 1024,
	/** Deepest nesting of arrays/maps/objects; a valid report needs 6. */
	maxDepth: 16,
	/** Most elements in any one list (ports, connections, custom-metric lists). */
	maxListLength: 1000,
	/** Most entries in any one map/object (custom metrics share this cap). */
	maxMapEntries: 100,
	/** Longest string value or key, in UTF-16 code units. */
	maxStringLength: 256,
	/** Longest thing name in UTF-8 bytes (spec §1.1). */
	maxThingNameBytes: 128,
});

/** The error every decode/validation rule raises; `message` becomes the reply's ErrorMessage. */
export function invalid(message: string, path?: string): never {
	throw new WardenError('WARDEN_ERR_REPORT_INVALID', message, path === undefined ? undefined : { path });
}
