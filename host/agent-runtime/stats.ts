/** The agent's counters (docs/abi.md "Statistics") and the runtime's events built on them. */

export const AGENT_STAT = {
	published: 0, accepted: 1, rejected: 2, lastErrorCode: 3, connections: 4, retransmissions: 5,
	protocolErrors: 6, connectionState: 7, lastReportId: 8, memoryHighWater: 9,
} as const;

/** decisions.md: the agent maps ErrorCode to 1 InvalidPayload, 2 Throttled, 3 anything else. */
export const ERROR_CODE_NAMES: Readonly<Record<number, string>> = Object.freeze({ 1: 'InvalidPayload', 2: 'Throttled', 3: 'Other' });

export interface AgentStats {
	/** Reports published (cumulative across module restarts). */
	published: number;
	accepted: number;
	rejected: number;
	/** 0 none, 1 InvalidPayload, 2 Throttled, 3 other. */
	lastErrorCode: number;
	/** CONNACKs accepted (cumulative). */
	connections: number;
	retransmissions: number;
	protocolErrors: number;
	/** 0 down, 1 transport up, 2 MQTT session up. */
	connectionState: number;
	lastReportId: number;
	memoryHighWater: number;
	/** Traps caught by the runtime. */
	traps: number;
}

export function zeroStats(): AgentStats {
	return {
		published: 0, accepted: 0, rejected: 0, lastErrorCode: 0, connections: 0, retransmissions: 0,
		protocolErrors: 0, connectionState: 0, lastReportId: 0, memoryHighWater: 0, traps: 0,
	};
}

export interface AgentEvents {
	/** The accepted or rejected count changed (one event per change). */
	report: { status: 'ACCEPTED' | 'REJECTED'; reportId: number; errorCode: string | null; stats: AgentStats };
	/** A report was published. */
	published: { reportId: number; stats: AgentStats };
	/** The connection state stat changed. */
	connection: { state: number; stats: AgentStats };
	/** The module trapped and was restarted. */
	trap: { message: string; traps: number };
	/** After every step. */
	step: AgentStats;
}
