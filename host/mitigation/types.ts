/** Mitigation records in AWS shapes (spec §6), times as Unix ms. */
export type ActionType =
	| 'UPDATE_DEVICE_CERTIFICATE'
	| 'UPDATE_CA_CERTIFICATE'
	| 'ADD_THINGS_TO_THING_GROUP'
	| 'REPLACE_DEFAULT_POLICY_VERSION'
	| 'ENABLE_IOT_LOGGING'
	| 'PUBLISH_FINDING_TO_SNS';

export const PARAM_MEMBERS: Readonly<Record<string, ActionType>> = Object.freeze({
	updateDeviceCertificateParams: 'UPDATE_DEVICE_CERTIFICATE',
	updateCACertificateParams: 'UPDATE_CA_CERTIFICATE',
	addThingsToThingGroupParams: 'ADD_THINGS_TO_THING_GROUP',
	replaceDefaultPolicyVersionParams: 'REPLACE_DEFAULT_POLICY_VERSION',
	enableIoTLoggingParams: 'ENABLE_IOT_LOGGING',
	publishFindingToSnsParams: 'PUBLISH_FINDING_TO_SNS',
});

export interface ActionParams {
	updateDeviceCertificateParams?: { action: 'DEACTIVATE' };
	updateCACertificateParams?: { action: 'DEACTIVATE' };
	addThingsToThingGroupParams?: { thingGroupNames: string[]; overrideDynamicGroups?: boolean };
	replaceDefaultPolicyVersionParams?: { templateName: 'BLANK_POLICY' };
	enableIoTLoggingParams?: { roleArnForLogging: string; logLevel: 'DEBUG' | 'INFO' | 'ERROR' | 'WARN' };
	publishFindingToSnsParams?: { topicArn: string };
}

export interface MitigationAction {
	actionName: string;
	actionType: ActionType;
	actionArn: string;
	actionId: string;
	roleArn: string;
	actionParams: ActionParams;
	tags: { Key: string; Value?: string }[];
	creationDate: number;
	lastModifiedDate: number;
}

export type AuditMitigationTaskStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELED';
export type AuditExecutionStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELED' | 'SKIPPED' | 'PENDING';

export interface AuditMitigationTarget {
	auditTaskId?: string;
	findingIds?: string[];
	auditCheckToReasonCodeFilter?: Record<string, string[]>;
}

export interface AuditTaskStatisticsEntry {
	totalFindingsCount: number;
	failedFindingsCount: number;
	succeededFindingsCount: number;
	skippedFindingsCount: number;
	canceledFindingsCount: number;
}

export interface AuditMitigationTask {
	taskId: string;
	taskStatus: AuditMitigationTaskStatus;
	startTime: number;
	endTime?: number;
	target: AuditMitigationTarget;
	auditCheckToActionsMapping: Record<string, string[]>;
	/** Snapshot of the action definitions at start. */
	actionsDefinition: MitigationAction[];
	taskStatistics: Record<string, AuditTaskStatisticsEntry>;
	clientRequestToken: string;
}

export interface AuditMitigationExecution {
	taskId: string;
	findingId: string;
	actionName: string;
	actionId: string;
	status: AuditExecutionStatus;
	startTime: number;
	endTime?: number;
	errorCode?: string;
	message?: string;
}

export type DetectTaskStatus = 'IN_PROGRESS' | 'SUCCESSFUL' | 'FAILED' | 'CANCELED';
export type DetectExecutionStatus = 'IN_PROGRESS' | 'SUCCESSFUL' | 'FAILED' | 'SKIPPED';

export interface DetectMitigationTarget {
	violationIds?: string[];
	securityProfileName?: string;
	behaviorName?: string;
}

export interface DetectMitigationTask {
	taskId: string;
	taskStatus: DetectTaskStatus;
	taskStartTime: number;
	taskEndTime?: number;
	target: DetectMitigationTarget;
	violationEventOccurrenceRange?: { startTime: number; endTime: number };
	onlyActiveViolationsIncluded: boolean;
	suppressedAlertsIncluded: boolean;
	actionsDefinition: MitigationAction[];
	taskStatistics: { actionsExecuted: number; actionsSkipped: number; actionsFailed: number };
	clientRequestToken: string;
}

export interface DetectMitigationExecution {
	taskId: string;
	violationId: string;
	actionName: string;
	thingName: string;
	executionStartDate: number;
	executionEndDate?: number;
	status: DetectExecutionStatus;
	errorCode?: string;
	message?: string;
}

/** A Detect violation as the detect mitigation task needs it. */
export interface ViolationRef {
	violationId: string;
	thingName: string;
	securityProfileName: string;
	behaviorName: string;
	/** The behavior has suppressAlerts. */
	suppressed: boolean;
	/** Still in alarm. */
	active: boolean;
	startTime: number;
}

/** What the detect mitigation task reads violations from (Detect's store provides it). */
export interface ViolationSource {
	/** Violations (active and past) that started or were in alarm within [start, end]. */
	list(f: { violationIds?: readonly string[]; securityProfileName?: string; behaviorName?: string; start: number; end: number }): ViolationRef[];
}
