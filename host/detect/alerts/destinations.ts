/**
 * Where Detect alerts go. AWS sends a profile's alerts to the SNS topic named in
 * `alertTargets.SNS.alertTargetArn`; Warden resolves the topic NAME (the last `:`-separated part
 * of that ARN, e.g. `arn:aws:sns:us-east-1:123456789012:ops-webhook` → `ops-webhook`) in a table
 * of destinations configured on `warden serve` (`--alert-destination`). A destination is either
 * an HTTP webhook (signed JSON POST) or an MQTT topic published through Warden's own broker.
 * Independently of the profile, every non-suppressed event can also go to
 * `<alertTopicPrefix>/<securityProfileName>` (the console-like "always sent" channel).
 */
import { WardenError } from '../../errors.ts';

export type AlertDestination =
	| { readonly kind: 'webhook'; readonly name: string; readonly url: string; readonly secret: string }
	| { readonly kind: 'mqtt'; readonly name: string; readonly topic: string };

/** What an outbox row remembers (the webhook secret is looked up at delivery, never stored). */
export type StoredDestination = { kind: 'webhook'; name: string; url: string } | { kind: 'mqtt'; name: string; topic: string };

/** The destination name an SNS alert target ARN refers to. */
export function destinationNameOf(alertTargetArn: string): string {
	const i = alertTargetArn.lastIndexOf(':');
	return i >= 0 ? alertTargetArn.slice(i + 1) : alertTargetArn;
}

/**
 * Parse one `--alert-destination` value:
 * `name=https://host/path;secret=...` (webhook) or `name=mqtt:topic/with/levels` (MQTT).
 */
export function parseDestination(spec: string): AlertDestination {
	const eq = spec.indexOf('=');
	const name = eq > 0 ? spec.slice(0, eq) : '';
	const rest = eq > 0 ? spec.slice(eq + 1) : '';
	if (!/^[A-Za-z0-9_-]{1,256}$/.test(name)) throw new WardenError('WARDEN_ERR_CONFIG', `alert destination "${spec}": name must be 1-256 of [A-Za-z0-9_-] followed by "="`);
	if (rest.startsWith('mqtt:')) {
		const topic = rest.slice(5);
		if (!topic || /[+#\u0000]/.test(topic)) throw new WardenError('WARDEN_ERR_CONFIG', `alert destination ${name}: MQTT topic must be non-empty and have no wildcards`);
		return Object.freeze({ kind: 'mqtt', name, topic });
	}
	const [url = '', ...params] = rest.split(';');
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new WardenError('WARDEN_ERR_CONFIG', `alert destination ${name}: "${url}" is not a URL`);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new WardenError('WARDEN_ERR_CONFIG', `alert destination ${name}: only http(s) webhooks and mqtt: topics are supported`);
	const secret = params.find((p) => p.startsWith('secret='))?.slice(7) ?? '';
	if (secret.length < 16) throw new WardenError('WARDEN_ERR_CONFIG', `alert destination ${name}: a webhook needs secret=<at least 16 characters>`);
	return Object.freeze({ kind: 'webhook', name, url, secret });
}
