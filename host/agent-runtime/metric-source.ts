/**
 * What a device can report about itself (docs/abi.md "Metric kinds and records"). The runtime asks a
 * `MetricSource` for one snapshot per `agent_step` the first time the module calls a `metrics_*`
 * import, so every list and counter of one report comes from the same instant.
 */

/** Cumulative interface counters since boot (the agent computes deltas itself, spec §1.4). */
export interface NetCounters {
	bytesIn: number;
	bytesOut: number;
	packetsIn: number;
	packetsOut: number;
}

export interface PortRecord {
	port: number;
	/** Interface name (≤ 15 bytes); omitted when the socket listens on every interface. */
	iface?: string;
}

export interface ConnectionRecord {
	/** Remote IPv4 (dotted) or IPv6 address text. */
	remoteIp: string;
	remotePort: number;
	localPort: number;
	iface?: string;
}

export type CustomMetricRecord =
	| { name: string; type: 'number'; value: number }
	| { name: string; type: 'number-list'; value: number[] }
	| { name: string; type: 'string-list'; value: string[] }
	| { name: string; type: 'ip-address-list'; value: string[] };

export interface MetricSnapshot {
	/** null when the device cannot count traffic. */
	counters: NetCounters | null;
	listeningTcp: PortRecord[];
	listeningUdp: PortRecord[];
	connections: ConnectionRecord[];
	custom: CustomMetricRecord[];
}

export interface MetricSource {
	/** Describe the device now (`nowMs` = the runtime's clock, Unix ms). */
	snapshot(nowMs: number): MetricSnapshot;
}

export function emptySnapshot(): MetricSnapshot {
	return { counters: null, listeningTcp: [], listeningUdp: [], connections: [], custom: [] };
}
