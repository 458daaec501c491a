/**
 * The Detect control-plane store: records of security profiles (with targets), custom metrics
 * and dimensions, plus the engine's read port (DetectConfigPort). The SQLite implementation is
 * in sqlite-store.ts; the operations with AWS semantics are in service.ts.
 */
import type { AlertTarget, Behavior, MetricsExportConfig, MetricToRetain, Tag } from '@aws-sdk/client-iot';
import type { CustomMetricType, DetectConfigPort } from '../engine/config-port.ts';

export interface ProfileRecord {
	name: string;
	arn: string;
	description?: string | undefined;
	behaviors: Behavior[];
	alertTargets?: Record<string, AlertTarget> | undefined;
	/** Deprecated v1 list of metric names. */
	additionalMetricsToRetain?: string[] | undefined;
	additionalMetricsToRetainV2?: MetricToRetain[] | undefined;
	metricsExportConfig?: MetricsExportConfig | undefined;
	tags?: Tag[] | undefined;
	version: number;
	/** Unix ms */
	createdAt: number;
	/** Unix ms */
	modifiedAt: number;
}

export interface CustomMetricRecord {
	name: string;
	arn: string;
	metricType: CustomMetricType;
	displayName?: string | undefined;
	tags?: Tag[] | undefined;
	clientRequestToken?: string | undefined;
	createdAt: number;
	modifiedAt: number;
}

export interface DimensionRecord {
	name: string;
	arn: string;
	type: 'TOPIC_FILTER';
	stringValues: string[];
	tags?: Tag[] | undefined;
	clientRequestToken?: string | undefined;
	createdAt: number;
	modifiedAt: number;
}

export interface DetectConfigStore extends DetectConfigPort {
	/** Run `fn` in one transaction (check-then-write sequences such as quotas). */
	transaction<T>(fn: () => T): T;
	/** Call `fn` after every committed change (once per outermost transaction); returns unsubscribe. */
	onChange(fn: () => void): () => void;

	getProfile(name: string): ProfileRecord | undefined;
	/** All profiles, ordered by name. */
	listProfileRecords(): ProfileRecord[];
	insertProfile(r: ProfileRecord): void;
	/** Overwrite an existing profile row (targets untouched). */
	updateProfile(r: ProfileRecord): void;
	/** Delete a profile and its attachments; false if it did not exist. */
	deleteProfile(name: string): boolean;

	/** Target ARNs of a profile, ordered. */
	targetsOf(profileName: string): string[];
	/** Names of the profiles attached to a target ARN, ordered. */
	profilesOnTarget(targetArn: string): string[];
	/** Attach (idempotent); false if it was already attached. */
	attach(profileName: string, targetArn: string, at: number): boolean;
	/** Detach; false if it was not attached. */
	detach(profileName: string, targetArn: string): boolean;

	getCustomMetric(name: string): CustomMetricRecord | undefined;
	listCustomMetrics(): CustomMetricRecord[];
	/** Insert or overwrite. */
	putCustomMetric(r: CustomMetricRecord): void;
	deleteCustomMetric(name: string): boolean;

	getDimension(name: string): DimensionRecord | undefined;
	listDimensions(): DimensionRecord[];
	putDimension(r: DimensionRecord): void;
	deleteDimension(name: string): boolean;
}
