// The one key table for both encoders, long and short names (spec §1.2, §1.3).

export const K_HEADER: i32 = 0;
export const K_REPORT_ID: i32 = 1;
export const K_VERSION: i32 = 2;
export const K_METRICS: i32 = 3;
export const K_CUSTOM_METRICS: i32 = 4;
export const K_TCP_CONNECTIONS: i32 = 5;
export const K_ESTABLISHED: i32 = 6;
export const K_CONNECTIONS: i32 = 7;
export const K_REMOTE_ADDR: i32 = 8;
export const K_LOCAL_PORT: i32 = 9;
export const K_LOCAL_INTERFACE: i32 = 10;
export const K_TOTAL: i32 = 11;
export const K_LISTENING_TCP: i32 = 12;
export const K_LISTENING_UDP: i32 = 13;
export const K_PORTS: i32 = 14;
export const K_PORT: i32 = 15;
export const K_INTERFACE: i32 = 16;
export const K_NETWORK_STATS: i32 = 17;
export const K_BYTES_IN: i32 = 18;
export const K_BYTES_OUT: i32 = 19;
export const K_PACKETS_IN: i32 = 20;
export const K_PACKETS_OUT: i32 = 21;
// spec §1.3: custom-metric inner keys have no short form.
export const K_NUMBER: i32 = 22;
export const K_NUMBER_LIST: i32 = 23;
export const K_STRING_LIST: i32 = 24;
export const K_IP_LIST: i32 = 25;

/** The key's name: short (`hed`) or long (`header`). ASCII literals in static data. */
export function keyName(k: i32, short: bool): string {
  switch (k) {
    case K_HEADER: return short ? "hed" : "header";
    case K_REPORT_ID: return short ? "rid" : "report_id";
    case K_VERSION: return short ? "v" : "version";
    case K_METRICS: return short ? "met" : "metrics";
    case K_CUSTOM_METRICS: return short ? "cmet" : "custom_metrics";
    case K_TCP_CONNECTIONS: return short ? "tc" : "tcp_connections";
    case K_ESTABLISHED: return short ? "ec" : "established_connections";
    case K_CONNECTIONS: return short ? "cs" : "connections";
    case K_REMOTE_ADDR: return short ? "rad" : "remote_addr";
    case K_LOCAL_PORT: return short ? "lp" : "local_port";
    case K_LOCAL_INTERFACE: return short ? "li" : "local_interface";
    case K_TOTAL: return short ? "t" : "total";
    case K_LISTENING_TCP: return short ? "tp" : "listening_tcp_ports";
    case K_LISTENING_UDP: return short ? "up" : "listening_udp_ports";
    case K_PORTS: return short ? "pts" : "ports";
    case K_PORT: return short ? "pt" : "port";
    case K_INTERFACE: return short ? "if" : "interface";
    case K_NETWORK_STATS: return short ? "ns" : "network_stats";
    case K_BYTES_IN: return short ? "bi" : "bytes_in";
    case K_BYTES_OUT: return short ? "bo" : "bytes_out";
    case K_PACKETS_IN: return short ? "pi" : "packets_in";
    case K_PACKETS_OUT: return short ? "po" : "packets_out";
    case K_NUMBER: return "number";
    case K_NUMBER_LIST: return "number_list";
    case K_STRING_LIST: return "string_list";
    case K_IP_LIST: return "ip_list";
  }
  return "";
}
