/**
 * AWS error types at the HTTP edge (spec §7.1 "Error shapes"). A route throws `ApiError`; the
 * app turns it into the restJson1 error response: status from the error shape, header
 * `x-amzn-ErrorType: <Name>` and body `{"message": ..., ...extra}`. SDKs read the header, so
 * `IoTClient` raises the exception class of the same name.
 */

/** HTTP status per AWS IoT error shape (IoT quirks: ThrottlingException 400, LimitExceededException 410). */
export const AWS_ERROR_STATUS = {
	InvalidRequestException: 400,
	ThrottlingException: 400,
	TaskAlreadyExistsException: 400,
	UnauthorizedException: 401,
	// SigV4 failures (answered before routing, as the AWS front end does)
	MissingAuthenticationTokenException: 403,
	UnrecognizedClientException: 403,
	InvalidSignatureException: 403,
	ResourceNotFoundException: 404,
	UnknownOperationException: 404,
	ResourceAlreadyExistsException: 409,
	VersionConflictException: 409,
	// registry (AWS IoT certificate and policy operations)
	CertificateValidationException: 400,
	MalformedPolicyException: 400,
	CertificateStateException: 406,
	DeleteConflictException: 409,
	LimitExceededException: 410,
	InternalFailureException: 500,
	ServiceUnavailableException: 503,
} as const;

export type AwsErrorType = keyof typeof AWS_ERROR_STATUS;

/** An error answered to the client with an AWS error type. */
export class ApiError extends Error {
	override name = 'ApiError' as const;
	readonly type: AwsErrorType;
	/** Extra body members, e.g. `resourceId`/`resourceArn` on ResourceAlreadyExistsException. */
	readonly extra: Readonly<Record<string, unknown>> | undefined;

	constructor(type: AwsErrorType, message: string, extra?: Record<string, unknown>) {
		super(message);
		this.type = type;
		this.extra = extra ? Object.freeze({ ...extra }) : undefined;
	}

	get status(): number {
		return AWS_ERROR_STATUS[this.type];
	}
}

export function isApiError(e: unknown): e is ApiError {
	return e instanceof ApiError;
}

/** Shorthands for the common cases. */
export const invalidRequest = (message: string) => new ApiError('InvalidRequestException', message);
export const notFound = (message: string) => new ApiError('ResourceNotFoundException', message);
export const limitExceeded = (message: string) => new ApiError('LimitExceededException', message);
export const versionConflict = (message: string) => new ApiError('VersionConflictException', message);
export const alreadyExists = (message: string, resourceId: string, resourceArn?: string) =>
	new ApiError('ResourceAlreadyExistsException', message, resourceArn ? { resourceId, resourceArn } : { resourceId });

/** The restJson1 error response for `e`. */
export function errorResponse(e: ApiError, date?: Date): Response {
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		'x-amzn-errortype': e.type,
	};
	if (date) headers.date = date.toUTCString();
	return new Response(JSON.stringify({ ...e.extra, message: e.message }), { status: e.status, headers });
}
