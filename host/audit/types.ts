/** The audit service's records, in AWS shapes (spec §5.3–§5.6) with times as Unix ms. */
import type { CheckFinding, ResourceIdentifier } from './finding.ts';

export type Frequency = 'DAILY' | 'WEEKLY' | 'BIWEEKLY' | 'MONTHLY';
export const FREQUENCIES: readonly Frequency[] = ['DAILY', 'WEEKLY', 'BIWEEKLY', 'MONTHLY'];
export type DayOfWeek = 'SUN' | 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT';
export const DAYS_OF_WEEK: readonly DayOfWeek[] = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export interface CheckConfig {
	enabled: boolean;
	configuration?: Record<string, string>;
}

export interface NotificationTarget {
	targetArn?: string;
	roleArn?: string;
	enabled?: boolean;
}

export interface AccountAuditConfig {
	roleArn?: string;
	auditNotificationTargetConfigurations: Record<string, NotificationTarget>;
	/** Only explicitly configured checks; Describe fills the rest as disabled. */
	auditCheckConfigurations: Record<string, CheckConfig>;
}

export interface ScheduledAudit {
	scheduledAuditName: string;
	frequency: Frequency;
	dayOfMonth?: string;
	dayOfWeek?: DayOfWeek;
	targetCheckNames: string[];
	tags: { Key: string; Value?: string }[];
	createdAt: number;
	/** First firing time; BIWEEKLY runs every 14 days from it. */
	anchorAt: number;
	lastRunAt: number | null;
	nextRunAt: number;
}

export type TaskType = 'ON_DEMAND_AUDIT_TASK' | 'SCHEDULED_AUDIT_TASK';
export type TaskStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELED';
export type CheckRunStatus = 'IN_PROGRESS' | 'WAITING_FOR_DATA_COLLECTION' | 'CANCELED' | 'COMPLETED_COMPLIANT' | 'COMPLETED_NON_COMPLIANT' | 'FAILED';

export interface AuditCheckDetails {
	checkRunStatus: CheckRunStatus;
	checkCompliant?: boolean;
	totalResourcesCount?: number;
	nonCompliantResourcesCount?: number;
	suppressedNonCompliantResourcesCount?: number;
	errorCode?: string;
	message?: string;
}

export interface TaskStatistics {
	totalChecks: number;
	inProgressChecks: number;
	waitingForDataCollectionChecks: number;
	compliantChecks: number;
	nonCompliantChecks: number;
	failedChecks: number;
	canceledChecks: number;
}

export interface AuditTask {
	taskId: string;
	taskType: TaskType;
	taskStatus: TaskStatus;
	scheduledAuditName?: string;
	taskStartTime: number;
	taskEndTime?: number;
	targetCheckNames: string[];
	taskStatistics: TaskStatistics;
	auditDetails: Record<string, AuditCheckDetails>;
}

export interface AuditFinding extends CheckFinding {
	findingId: string;
	taskId: string;
	taskStartTime: number;
	findingTime: number;
	isSuppressed: boolean;
}

export interface AuditSuppression {
	checkName: string;
	resourceIdentifier: ResourceIdentifier;
	/** Unix ms; absent when indefinite. */
	expirationDate?: number;
	suppressIndefinitely: boolean;
	description?: string;
	clientRequestToken?: string;
	createdAt: number;
}

export interface FindingFilter {
	taskId?: string;
	checkName?: string;
	resourceKey?: string;
	startTime?: number;
	endTime?: number;
	/** true = only suppressed, false = only unsuppressed, undefined = both. */
	suppressed?: boolean;
}
