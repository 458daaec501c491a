/**
 * The logical Device Defender report (spec §1.2–1.3) after decoding, whatever the wire format
 * (JSON or CBOR) and key style (long or short). Field names are the long names of the spec.
 * Everything downstream of ingest (storage, Detect) sees only this shape.
 */
export interface ListeningPort {
	port: number;
	interface?: string;
}

export interface PortList {
	ports: ListeningPort[];
	/** `total` from the report when present, else the list length (spec §9 item 5). */
	total: number;
}

export interface TcpConnection {
	/** `ip:port`, IPv6 as `[addr]:port`. */
	remote_addr: string;
	local_port?: number;
	local_interface?: string;
}

export interface NetworkStats {
	bytes_in?: number;
	bytes_out?: number;
	packets_in?: number;
	packets_out?: number;
}

export type CustomMetricValue =
	| { type: 'number'; number: number }
	| { type: 'number-list'; number_list: number[] }
	| { type: 'string-list'; string_list: string[] }
	| { type: 'ip-address-list'; ip_list: string[] };

export interface DeviceReport {
	header: { report_id: number; version: string };
	metrics?: {
		listening_tcp_ports?: PortList;
		listening_udp_ports?: PortList;
		network_stats?: NetworkStats;
		tcp_connections?: { established_connections?: { connections: TcpConnection[]; total: number } };
	};
	custom_metrics?: Record<string, CustomMetricValue>;
}

export type ReportFormat = 'json' | 'cbor';
