/**
 * HTTP syntax shared by every component (RFC 9110 tokens). A leaf: it imports nothing.
 */
export { HTTP_TOKEN, isHttpToken } from "./token.js";
