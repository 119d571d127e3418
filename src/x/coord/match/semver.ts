/**
 * SemVer 2.0.0 versions and their precedence (semver.org §9–§11), without floats or Number parsing:
 *   - MAJOR.MINOR.PATCH, non-negative integers without leading zeros (any size: compared as
 *     digit strings, length first, which is numeric order when there are no leading zeros);
 *   - an optional pre-release "-id.id…": identifiers of [0-9A-Za-z-], numeric ones without
 *     leading zeros; a pre-release has lower precedence than its release; identifiers compare
 *     numerically when both are numeric, numeric below alphanumeric, alphanumerics in ASCII order,
 *     and a shorter list below a longer one it is a prefix of;
 *   - an optional build "+id.id…", accepted and ignored (it takes no part in precedence, and the
 *     canonical form drops it).
 *
 * The order has a least element, 0.0.0-0, and every version v has an immediate successor
 * (nothing lies strictly between v and succ(v)): succ(x.y.z) = x.y.(z+1)-0 and
 * succ(x.y.z-p) = x.y.z-p.0. The interval code in vers.ts needs both facts to decide whether an
 * open interval is empty.
 */

export interface SemVer {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** Pre-release identifiers; empty for a release. */
  readonly pre: readonly string[];
}

const NUM = "(0|[1-9][0-9]*)";
const PRE_ID = "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
const BUILD_ID = "[0-9A-Za-z-]+";
const SEMVER = new RegExp(`^${NUM}\\.${NUM}\\.${NUM}(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?$`);
const NUMERIC = /^[0-9]+$/;

/** Longest version string accepted. */
export const MAX_SEMVER_LENGTH = 128;

/** Parses a SemVer 2.0.0 version; undefined when it is not one. */
export function parseSemVer(s: string): SemVer | undefined {
  if (s.length > MAX_SEMVER_LENGTH) return undefined;
  const m = SEMVER.exec(s);
  if (m === null) return undefined;
  const [, major, minor, patch, pre] = m;
  if (major === undefined || minor === undefined || patch === undefined) return undefined;
  return { major, minor, patch, pre: pre === undefined ? [] : pre.split(".") };
}

/** The canonical text: build metadata dropped. */
export function formatSemVer(v: SemVer): string {
  const core = `${v.major}.${v.minor}.${v.patch}`;
  return v.pre.length === 0 ? core : `${core}-${v.pre.join(".")}`;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Numeric order of digit strings without leading zeros. */
function cmpNum(a: string, b: string): number {
  return a.length !== b.length ? (a.length < b.length ? -1 : 1) : cmpStr(a, b);
}

function cmpIdent(a: string, b: string): number {
  const na = NUMERIC.test(a);
  const nb = NUMERIC.test(b);
  if (na && nb) return cmpNum(a, b);
  if (na) return -1;
  if (nb) return 1;
  return cmpStr(a, b);
}

/** SemVer precedence: negative, zero or positive. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  const c = cmpNum(a.major, b.major) || cmpNum(a.minor, b.minor) || cmpNum(a.patch, b.patch);
  if (c !== 0) return c;
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  const n = Math.min(a.pre.length, b.pre.length);
  for (let i = 0; i < n; i++) {
    const d = cmpIdent(a.pre[i] as string, b.pre[i] as string);
    if (d !== 0) return d;
  }
  return a.pre.length === b.pre.length ? 0 : a.pre.length < b.pre.length ? -1 : 1;
}

/** The least version, 0.0.0-0. */
export const SEMVER_MIN: SemVer = { major: "0", minor: "0", patch: "0", pre: ["0"] };

/** Adds one to a digit string (no leading zeros in, none out). */
function inc(d: string): string {
  return (BigInt(d) + 1n).toString();
}

/** The immediate successor of v: nothing lies strictly between v and succ(v). */
export function succSemVer(v: SemVer): SemVer {
  if (v.pre.length === 0) return { major: v.major, minor: v.minor, patch: inc(v.patch), pre: ["0"] };
  return { ...v, pre: [...v.pre, "0"] };
}
