/** The action plumbing shared by every entry point in actions/. */
export { HttpError, isHttpError } from './http-error';
export {
  type ActionErrorResult,
  type ActionResponse,
  type ActionResult,
  type ErrorBody,
  errorResult,
  errorToResult,
  isErrorResult,
  jsonResponse,
} from './response';
export { type RawParams, type SplitParams, type WebRequest, type HttpMethod, decodeRawBody, normalizePath, parseJsonBody, readWebRequest, splitParams } from './request';
export { type Router, type RouteHandler, createRouter } from './router';
export { type ActionContext, type ActionMain, type ActionSpec, type WebActionSpec, defineAction, defineWebAction } from './action';
