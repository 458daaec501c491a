/**
 * Device-side and custom metric samples from one accepted report (spec §2.2, §2.3). One accepted
 * report = one sample per metric present, timestamped at ingest.
 *
 * Sampled lists (spec §9 item 5): the count metrics (`aws:num-listening-*-ports`,
 * `aws:num-established-tcp-connections`) use the report's `total` (the true count; ingest falls
 * back to the list length), while the set metrics (`aws:listening-*-ports`,
 * `aws:destination-ip-addresses`) use the elements actually listed — a sampled list can only
 * be checked for what it contains.
 *
 * A custom metric is used only if it is defined (CreateCustomMetric) with the same type as the
 * value in the report; others are ignored here (ingest has already accepted the report).
 */
import type { MetricValue } from '@aws-sdk/client-iot';
import type { DeviceReport, CustomMetricValue } from '../../ingest/report-types.ts';
import type { CustomMetricType } from './config-port.ts';
import { hostOf } from './ip-match.ts';
import type { Sample } from './sample.ts';

function customValue(v: CustomMetricValue): MetricValue {
	switch (v.type) {
		case 'number':
			return { number: v.number };
		case 'number-list':
			return { numbers: [...v.number_list] };
		case 'string-list':
			return { strings: [...v.string_list] };
		case 'ip-address-list':
			return { cidrs: [...v.ip_list] };
	}
}

export function samplesFromReport(
	thing: string,
	report: DeviceReport,
	at: number,
	customMetricType: (name: string) => CustomMetricType | undefined,
): Sample[] {
	const out: Sample[] = [];
	const add = (metric: string, value: MetricValue) => out.push({ thing, metric, dimension: '', at, value });
	const m = report.metrics;
	if (m) {
		const ns = m.network_stats;
		if (ns) {
			if (ns.bytes_in !== undefined) add('aws:all-bytes-in', { count: ns.bytes_in });
			if (ns.bytes_out !== undefined) add('aws:all-bytes-out', { count: ns.bytes_out });
			if (ns.packets_in !== undefined) add('aws:all-packets-in', { count: ns.packets_in });
			if (ns.packets_out !== undefined) add('aws:all-packets-out', { count: ns.packets_out });
		}
		if (m.listening_tcp_ports) {
			add('aws:num-listening-tcp-ports', { count: m.listening_tcp_ports.total });
			add('aws:listening-tcp-ports', { ports: m.listening_tcp_ports.ports.map((p) => p.port) });
		}
		if (m.listening_udp_ports) {
			add('aws:num-listening-udp-ports', { count: m.listening_udp_ports.total });
			add('aws:listening-udp-ports', { ports: m.listening_udp_ports.ports.map((p) => p.port) });
		}
		const ec = m.tcp_connections?.established_connections;
		if (ec) {
			add('aws:num-established-tcp-connections', { count: ec.total });
			add('aws:destination-ip-addresses', { cidrs: [...new Set(ec.connections.map((c) => hostOf(c.remote_addr)))] });
		}
	}
	for (const [name, v] of Object.entries(report.custom_metrics ?? {})) {
		if (name.startsWith('aws:')) continue;
		if (customMetricType(name) !== v.type) continue;
		add(name, customValue(v));
	}
	return out;
}
