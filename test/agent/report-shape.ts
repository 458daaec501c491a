/** Helpers for comparing agent reports with the spec examples: short → long key names (spec §1.2). */

const SHORT_TO_LONG: Record<string, string> = {
	hed: 'header', rid: 'report_id', v: 'version', met: 'metrics', cmet: 'custom_metrics',
	tc: 'tcp_connections', ec: 'established_connections', cs: 'connections', rad: 'remote_addr',
	lp: 'local_port', li: 'local_interface', t: 'total', tp: 'listening_tcp_ports', up: 'listening_udp_ports',
	pts: 'ports', pt: 'port', if: 'interface', ns: 'network_stats', bi: 'bytes_in', bo: 'bytes_out',
	pi: 'packets_in', po: 'packets_out',
};

/** CBOR uint64 values decode as bigint: make them numbers (exact below 2^53, as JSON.parse would give). */
export function numbers(v: unknown): unknown {
	if (typeof v === 'bigint') return Number(v);
	if (Array.isArray(v)) return v.map(numbers);
	if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, numbers(x)]));
	return v;
}

/** Rewrites short key names to long ones, except inside custom_metrics (whose keys are metric names). */
export function longKeys(v: unknown, inCustom = false): unknown {
	if (Array.isArray(v)) return v.map((x) => longKeys(x, inCustom));
	if (v && typeof v === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, x] of Object.entries(v)) {
			const name = inCustom ? k : (SHORT_TO_LONG[k] ?? k);
			out[name] = longKeys(x, name === 'custom_metrics' || inCustom);
		}
		return out;
	}
	return v;
}

/** Drops empty port/connection sections (total 0), which the agent always sends and the examples may omit. */
export function dropEmptyLists(report: any): any {
	const m = report.metrics;
	if (!m) return report;
	for (const k of ['listening_tcp_ports', 'listening_udp_ports']) if (m[k]?.total === 0) delete m[k];
	if (m.tcp_connections?.established_connections?.total === 0) delete m.tcp_connections;
	return report;
}
