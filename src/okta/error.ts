/**
 * The Okta error object (shared spec §5.5), carried by every 4xx/5xx of Okta's APIs.
 * Only `errorCode` is meant for program logic.
 */
export interface OktaError {
  errorCode: string;
  errorSummary: string;
  /** Always equal to `errorCode` today. */
  errorLink: string;
  /** Per-request id. */
  errorId: string;
  errorCauses: { errorSummary: string }[];
}
