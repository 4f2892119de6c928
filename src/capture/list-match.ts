/**
 * A {@link ResolvedListQuery} as a predicate on one exchange: the memory store's filter, and the
 * reference the SQLite store's SQL (sqlite-list.ts) must agree with (one contract suite).
 */
import { durationMs } from "./exchange-read.js";
import { type IndexTerms, indexTermsOf } from "./index-terms.js";
import { asciiLower, type ResolvedListQuery } from "./list-query.js";
import { matchesWords, SEARCH_PARTS, searchText, searchWords } from "./search-text.js";
import type { Exchange, RawHeaders } from "./types.js";

/** What filters need beyond the exchange's fields, computed only when a filter asks. */
export interface DerivedFacts {
  terms: IndexTerms;
  /** Words of the target, request body and response body (search-text.ts). */
  words: string[][];
}

/** Derived facts per exchange object: stored exchanges are never mutated, so none goes stale. */
const derivedCache = new WeakMap<Exchange, DerivedFacts>();

/** The derived facts of an exchange, computed once per exchange object. */
export function derivedFactsOf(x: Exchange): DerivedFacts {
  let facts = derivedCache.get(x);
  if (facts === undefined) {
    facts = {
      terms: indexTermsOf(x),
      words: SEARCH_PARTS.map((part) => searchWords(searchText(x, part))),
    };
    derivedCache.set(x, facts);
  }
  return facts;
}

function hasHeader(raw: RawHeaders, name: string, value: string): boolean {
  return raw.some(([n, v]) => asciiLower(n) === name && asciiLower(v).includes(value));
}

/** True when `x` passes every filter of `q` (the cursor and endpoint included). */
export function matchesListQuery(
  x: Exchange,
  q: ResolvedListQuery,
  derived: () => DerivedFacts,
): boolean {
  if (q.before !== null && !(x.id < q.before)) return false;
  if (q.endpoint !== null && x.endpoint !== q.endpoint) return false;
  if (q.origin !== null && x.origin !== q.origin) return false;
  if (q.parentId !== null && x.parentId !== q.parentId) return false;
  if (q.method !== null && x.request.method.replace(/[a-z]+/g, (s) => s.toUpperCase()) !== q.method)
    return false;
  // `path` holds no '?' or '#', so a prefix of the target is a prefix of its path part.
  if (q.path !== null && !x.request.target.startsWith(q.path)) return false;
  if (q.status !== null) {
    const status = x.response?.status;
    if (status === undefined || status < q.status.min || status > q.status.max) return false;
  }
  if (q.minDurationMs !== null || q.maxDurationMs !== null) {
    const took = durationMs(x);
    if (took === null) return false;
    if (q.minDurationMs !== null && took < q.minDurationMs) return false;
    if (q.maxDurationMs !== null && took > q.maxDurationMs) return false;
  }
  if (q.header !== null) {
    const { name, value } = q.header;
    const inResponse = x.response !== null && hasHeader(x.response.rawHeaders, name, value);
    if (!inResponse && !hasHeader(x.request.rawHeaders, name, value)) return false;
  }
  if (q.oktaEventType === null && q.targetUser === null && q.text === null) return true;
  const facts = derived();
  if (q.oktaEventType !== null && !facts.terms.eventTypes.includes(q.oktaEventType)) return false;
  if (q.targetUser !== null && !facts.terms.users.includes(q.targetUser)) return false;
  const text = q.text;
  if (text !== null && !facts.words.some((words) => matchesWords(words, text))) return false;
  return true;
}
