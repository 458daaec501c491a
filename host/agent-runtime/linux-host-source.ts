/** The real Linux host as a metric source: `/proc/net/*` and `os.networkInterfaces()`. */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { emptySnapshot, type MetricSnapshot, type MetricSource } from './metric-source.ts';
import {
	establishedConnections, interfaceIndex, listeningPorts, parseNetDev, parseSocketTable, totalCounters,
} from './proc-net.ts';

export interface LinuxHostSourceOptions {
	/** Root of the proc filesystem; default `/proc` (tests point it at fixtures). */
	procRoot?: string;
	/** Interface table; default `os.networkInterfaces`. */
	interfaces?: () => ReturnType<typeof networkInterfaces>;
}

export class LinuxHostSource implements MetricSource {
	readonly #root: string;
	readonly #interfaces: () => ReturnType<typeof networkInterfaces>;

	constructor(opts: LinuxHostSourceOptions = {}) {
		this.#root = opts.procRoot ?? '/proc';
		this.#interfaces = opts.interfaces ?? networkInterfaces;
	}

	#read(rel: string): string {
		try {
			return readFileSync(`${this.#root}/${rel}`, 'utf8');
		} catch {
			return ''; // a kernel without IPv6 has no tcp6/udp6
		}
	}

	snapshot(): MetricSnapshot {
		const snap = emptySnapshot();
		const dev = this.#read('net/dev');
		snap.counters = dev ? totalCounters(parseNetDev(dev)) : null;
		const index = interfaceIndex(this.#interfaces());
		const tcp = [...parseSocketTable(this.#read('net/tcp')), ...parseSocketTable(this.#read('net/tcp6'))];
		const udp = [...parseSocketTable(this.#read('net/udp')), ...parseSocketTable(this.#read('net/udp6'))];
		snap.listeningTcp = listeningPorts(tcp, 'tcp', index);
		snap.listeningUdp = listeningPorts(udp, 'udp', index);
		snap.connections = establishedConnections(tcp, index);
		return snap;
	}
}
