/**
 * A device that exists only as data: the simulator (sim/) mutates these fields and the runtime
 * reads a snapshot of them whenever the agent builds a report. `beforeSnapshot` lets a behaviour
 * model bring the state up to the clock's time first (counters integrate traffic rates).
 */
import type {
	ConnectionRecord, CustomMetricRecord, MetricSnapshot, MetricSource, NetCounters, PortRecord,
} from './metric-source.ts';

export class SimulatedDeviceState implements MetricSource {
	/** Cumulative counters; null = the device cannot count traffic. */
	counters: NetCounters | null = { bytesIn: 0, bytesOut: 0, packetsIn: 0, packetsOut: 0 };
	listeningTcp: PortRecord[] = [];
	listeningUdp: PortRecord[] = [];
	connections: ConnectionRecord[] = [];
	custom: CustomMetricRecord[] = [];
	/** Called with the clock's time before each snapshot. */
	beforeSnapshot: ((nowMs: number) => void) | undefined;

	/** Add traffic to the cumulative counters. */
	addTraffic(d: Partial<NetCounters>): void {
		if (!this.counters) return;
		this.counters.bytesIn += d.bytesIn ?? 0;
		this.counters.bytesOut += d.bytesOut ?? 0;
		this.counters.packetsIn += d.packetsIn ?? 0;
		this.counters.packetsOut += d.packetsOut ?? 0;
	}

	snapshot(nowMs: number): MetricSnapshot {
		this.beforeSnapshot?.(nowMs);
		// copies, so the simulator may keep mutating its state while a report is being built
		return {
			counters: this.counters ? { ...this.counters } : null,
			listeningTcp: this.listeningTcp.map((p) => ({ ...p })),
			listeningUdp: this.listeningUdp.map((p) => ({ ...p })),
			connections: this.connections.map((c) => ({ ...c })),
			custom: this.custom.map((m) => ({ ...m, value: Array.isArray(m.value) ? [...m.value] : m.value }) as CustomMetricRecord),
		};
	}
}
