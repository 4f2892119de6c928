/**
 * HTTP syntax shared by every component (RFC 9110 tokens). A leaf: it imports nothing.
 */
export { HTTP_FIELD_VALUE, HTTP_TOKEN, isHttpFieldValue, isHttpToken } from "./token.js";
