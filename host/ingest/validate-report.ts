/**
 * Turns a decoded value (from JSON or CBOR) into the canonical DeviceReport, checking every rule
 * of spec §1.2–1.4. Long or short names are read through the one key table; the style is fixed
 * by the header key and may not be mixed. Unknown keys are rejected.
 */
import type { DeviceReport, NetworkStats, PortList, TcpConnection } from './report-types.ts';
import type { KeyStyle } from './key-table.ts';
import { invalid } from './limits.ts';
import { MAX_SAFE, Fields, intInRange, isObject, label, readFields, remoteAddr, requireArray, requireObject } from './validate-fields.ts';
import { validateCustomMetrics } from './validate-custom-metrics.ts';

/** The only report version in use (spec §1.4); other versions are rejected. */
export const REPORT_VERSION = '1.0';

function header(f: Fields, style: KeyStyle): DeviceReport['header'] {
	const path = f.path('header');
	const h = readFields(requireObject(f.get('header'), path), path, ['report_id', 'version'], style);
	const rid = h.get('report_id');
	if (rid === undefined) invalid(`${h.path('report_id')} is required`, h.path('report_id'));
	// JSON integers above 2^53 - 1 lose precision in every JS/JSON stack: rejected, not rounded
	const reportId = intInRange(rid, h.path('report_id'), 1, MAX_SAFE);
	const version = h.get('version');
	if (version === undefined) invalid(`${h.path('version')} is required`, h.path('version'));
	if (version !== REPORT_VERSION) invalid(`${h.path('version')} must be "${REPORT_VERSION}"`, h.path('version'));
	return { report_id: reportId, version: REPORT_VERSION };
}

function total(v: unknown, path: string, listed: number, what: string): number {
	if (v === undefined) return listed; // spec §9 item 5: list length when total is absent
	const t = intInRange(v, path, 0, MAX_SAFE);
	if (t < listed) invalid(`${path} must not be less than the number of ${what} listed (${listed})`, path);
	return t;
}

function portList(raw: unknown, path: string, style: KeyStyle): PortList {
	const f = readFields(requireObject(raw, path), path, ['ports', 'total'], style);
	const list = f.get('ports') === undefined ? [] : requireArray(f.get('ports'), f.path('ports'));
	const ports = list.map((entry, i) => {
		const at = `${f.path('ports')}[${i}]`;
		const e = readFields(requireObject(entry, at), at, ['port', 'interface'], style);
		if (e.get('port') === undefined) invalid(`${e.path('port')} is required`, e.path('port'));
		const port = intInRange(e.get('port'), e.path('port'), 1, 65535);
		const itf = e.get('interface');
		return itf === undefined ? { port } : { port, interface: label(itf, e.path('interface')) };
	});
	return { ports, total: total(f.get('total'), f.path('total'), ports.length, 'ports') };
}

function networkStats(raw: unknown, path: string, style: KeyStyle): NetworkStats {
	const keys = ['bytes_in', 'bytes_out', 'packets_in', 'packets_out'] as const;
	const f = readFields(requireObject(raw, path), path, keys, style);
	const out: NetworkStats = {};
	for (const k of keys) {
		const v = f.get(k);
		if (v !== undefined) out[k] = intInRange(v, f.path(k), 0, MAX_SAFE);
	}
	return out;
}

function connection(raw: unknown, path: string, style: KeyStyle): TcpConnection {
	const f = readFields(requireObject(raw, path), path, ['remote_addr', 'local_port', 'local_interface'], style);
	if (f.get('remote_addr') === undefined) invalid(`${f.path('remote_addr')} is required`, f.path('remote_addr'));
	const out: TcpConnection = { remote_addr: remoteAddr(f.get('remote_addr'), f.path('remote_addr')) };
	if (f.get('local_port') !== undefined) out.local_port = intInRange(f.get('local_port'), f.path('local_port'), 0, 65535);
	if (f.get('local_interface') !== undefined) out.local_interface = label(f.get('local_interface'), f.path('local_interface'));
	return out;
}

function tcpConnections(raw: unknown, path: string, style: KeyStyle): NonNullable<DeviceReport['metrics']>['tcp_connections'] {
	const f = readFields(requireObject(raw, path), path, ['established_connections'], style);
	if (f.get('established_connections') === undefined) return {};
	const ecPath = f.path('established_connections');
	const ec = readFields(requireObject(f.get('established_connections'), ecPath), ecPath, ['connections', 'total'], style);
	const list = ec.get('connections') === undefined ? [] : requireArray(ec.get('connections'), ec.path('connections'));
	const connections = list.map((c, i) => connection(c, `${ec.path('connections')}[${i}]`, style));
	return { established_connections: { connections, total: total(ec.get('total'), ec.path('total'), connections.length, 'connections') } };
}

function metrics(raw: unknown, path: string, style: KeyStyle): NonNullable<DeviceReport['metrics']> {
	const keys = ['listening_tcp_ports', 'listening_udp_ports', 'network_stats', 'tcp_connections'] as const;
	const f = readFields(requireObject(raw, path), path, keys, style);
	const out: NonNullable<DeviceReport['metrics']> = {};
	if (f.get('listening_tcp_ports') !== undefined) out.listening_tcp_ports = portList(f.get('listening_tcp_ports'), f.path('listening_tcp_ports'), style);
	if (f.get('listening_udp_ports') !== undefined) out.listening_udp_ports = portList(f.get('listening_udp_ports'), f.path('listening_udp_ports'), style);
	if (f.get('network_stats') !== undefined) out.network_stats = networkStats(f.get('network_stats'), f.path('network_stats'), style);
	if (f.get('tcp_connections') !== undefined) out.tcp_connections = tcpConnections(f.get('tcp_connections'), f.path('tcp_connections'), style);
	return out;
}

/** Validate a decoded report and return its canonical form, or raise WARDEN_ERR_REPORT_INVALID. */
export function validateReport(raw: unknown): DeviceReport {
	if (!isObject(raw)) invalid('report must be an object (a JSON object or CBOR map)');
	const hasLong = Object.hasOwn(raw, 'header');
	const hasShort = Object.hasOwn(raw, 'hed');
	if (hasLong && hasShort) invalid('report has both header and hed: long and short key names cannot be mixed');
	if (!hasLong && !hasShort) invalid('header is required', 'header');
	const style: KeyStyle = hasLong ? 'long' : 'short';
	const f = readFields(raw, '', ['header', 'metrics', 'custom_metrics'], style);
	const report: DeviceReport = { header: header(f, style) };
	const m = f.get('metrics');
	const cm = f.get('custom_metrics');
	if (m === undefined && cm === undefined) invalid(`one of ${f.path('metrics')} or ${f.path('custom_metrics')} is required`);
	if (m !== undefined) report.metrics = metrics(m, f.path('metrics'), style);
	if (cm !== undefined) report.custom_metrics = validateCustomMetrics(cm, f.path('custom_metrics'));
	return report;
}
