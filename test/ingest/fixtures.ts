/** The literal example reports of spec §1.7 and what they must decode to. */
import type { DeviceReport } from '../../host/ingest/report-types.ts';

export const EXAMPLE_LONG = `{
  "header": { "report_id": 1530304554, "version": "1.0" },
  "metrics": {
    "listening_tcp_ports": {
      "ports": [
        { "interface": "eth0", "port": 24800 },
        { "interface": "eth0", "port": 22 },
        { "interface": "eth0", "port": 53 }
      ],
      "total": 3
    },
    "listening_udp_ports": {
      "ports": [
        { "interface": "eth0", "port": 5353 },
        { "interface": "eth0", "port": 67 }
      ],
      "total": 2
    },
    "network_stats": {
      "bytes_in": 29358693495, "bytes_out": 26485035,
      "packets_in": 10013573555, "packets_out": 11382615
    },
    "tcp_connections": {
      "established_connections": {
        "connections": [
          { "local_interface": "eth0", "local_port": 80, "remote_addr": "192.168.0.1:8000" },
          { "local_interface": "eth0", "local_port": 80, "remote_addr": "192.168.0.1:8000" }
        ],
        "total": 2
      }
    }
  },
  "custom_metrics": {
    "MyMetricOfType_Number": [ { "number": 1 } ],
    "MyMetricOfType_NumberList": [ { "number_list": [ 1, 2, 3 ] } ],
    "MyMetricOfType_StringList": [ { "string_list": [ "value_1", "value_2" ] } ],
    "MyMetricOfType_IpList": [ { "ip_list": [ "172.0.0.0", "172.0.0.10" ] } ]
  }
}`;

export const EXAMPLE_SHORT = `{
  "hed": { "rid": 1530305228, "v": "1.0" },
  "met": {
    "tp": { "pts": [ { "if": "eth0", "pt": 24800 }, { "if": "eth0", "pt": 22 }, { "if": "eth0", "pt": 53 } ], "t": 3 },
    "up": { "pts": [ { "if": "eth0", "pt": 5353 }, { "if": "eth0", "pt": 67 } ], "t": 2 },
    "ns": { "bi": 29359307173, "bo": 26490711, "pi": 10014614051, "po": 11387620 },
    "tc": { "ec": { "cs": [ { "li": "eth0", "lp": 80, "rad": "192.168.0.1:8000" },
                            { "li": "eth0", "lp": 80, "rad": "192.168.0.1:8000" } ], "t": 2 } }
  },
  "cmet": {
    "MyMetricOfType_Number": [ { "number": 1 } ],
    "MyMetricOfType_NumberList": [ { "number_list": [ 1, 2, 3 ] } ],
    "MyMetricOfType_StringList": [ { "string_list": [ "value_1", "value_2" ] } ],
    "MyMetricOfType_IpList": [ { "ip_list": [ "172.0.0.0", "172.0.0.10" ] } ]
  }
}`;

export const EXAMPLE_MINIMAL =
	'{"header":{"report_id":12334567,"version":"1.0"},"metrics":{"network_stats":{"bytes_in":30680,"bytes_out":10652,"packets_in":113,"packets_out":118}},"custom_metrics":{"my_custom_metric":[{"number":0}]}}';

/** The documented rejected variant of EXAMPLE_MINIMAL (custom metric not wrapped in an array). */
export const EXAMPLE_MINIMAL_UNWRAPPED = EXAMPLE_MINIMAL.replace('[{"number":0}]', '{"number":0}');

/** The logical report of EXAMPLE_LONG (EXAMPLE_SHORT differs only in report_id and network_stats). */
export function expectedLong(): DeviceReport {
	const eth0 = (port: number) => ({ port, interface: 'eth0' });
	const conn = { remote_addr: '192.168.0.1:8000', local_port: 80, local_interface: 'eth0' };
	return {
		header: { report_id: 1530304554, version: '1.0' },
		metrics: {
			listening_tcp_ports: { ports: [eth0(24800), eth0(22), eth0(53)], total: 3 },
			listening_udp_ports: { ports: [eth0(5353), eth0(67)], total: 2 },
			network_stats: { bytes_in: 29358693495, bytes_out: 26485035, packets_in: 10013573555, packets_out: 11382615 },
			tcp_connections: { established_connections: { connections: [conn, { ...conn }], total: 2 } },
		},
		custom_metrics: {
			MyMetricOfType_Number: { type: 'number', number: 1 },
			MyMetricOfType_NumberList: { type: 'number-list', number_list: [1, 2, 3] },
			MyMetricOfType_StringList: { type: 'string-list', string_list: ['value_1', 'value_2'] },
			MyMetricOfType_IpList: { type: 'ip-address-list', ip_list: ['172.0.0.0', '172.0.0.10'] },
		},
	};
}

export function expectedShort(): DeviceReport {
	const r = expectedLong();
	r.header.report_id = 1530305228;
	r.metrics!.network_stats = { bytes_in: 29359307173, bytes_out: 26490711, packets_in: 10014614051, packets_out: 11387620 };
	return r;
}

export function expectedMinimal(): DeviceReport {
	return {
		header: { report_id: 12334567, version: '1.0' },
		metrics: { network_stats: { bytes_in: 30680, bytes_out: 10652, packets_in: 113, packets_out: 118 } },
		custom_metrics: { my_custom_metric: { type: 'number', number: 0 } },
	};
}
