/** WardenError codes of audit, mitigation and the registry → the AWS error types at the HTTP edge (spec §7.1). */
import { ApiError, type AwsErrorType } from '../api/aws-errors.ts';
import { isWardenError, type ErrorCode } from '../errors.ts';

const TYPE: Partial<Record<ErrorCode, AwsErrorType>> = {
	WARDEN_ERR_AUDIT_INVALID: 'InvalidRequestException',
	WARDEN_ERR_AUDIT_NOT_FOUND: 'ResourceNotFoundException',
	WARDEN_ERR_AUDIT_EXISTS: 'ResourceAlreadyExistsException',
	WARDEN_ERR_AUDIT_LIMIT: 'LimitExceededException',
	WARDEN_ERR_TASK_EXISTS: 'TaskAlreadyExistsException',
	WARDEN_ERR_REGISTRY_NOT_FOUND: 'ResourceNotFoundException',
	WARDEN_ERR_REGISTRY_INVALID: 'InvalidRequestException',
};

/** Run `fn`, translating deliberate errors into ApiError. */
export function apiCall<T>(fn: () => T): T {
	try {
		return fn();
	} catch (e) {
		if (isWardenError(e)) {
			const type = TYPE[e.code];
			if (type === 'ResourceAlreadyExistsException') {
				const d = e.detail ?? {};
				throw new ApiError(type, e.message, { resourceId: String(d.resourceId ?? ''), ...(d.resourceArn ? { resourceArn: String(d.resourceArn) } : {}) });
			}
			if (type) throw new ApiError(type, e.message);
		}
		throw e;
	}
}
