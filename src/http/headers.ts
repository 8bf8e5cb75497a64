/** The request-line names of `HTTPClient.METHOD_*`, by number. @internal */
export const METHOD_NAMES: readonly string[] = [
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "DELETE",
  "OPTIONS",
  "TRACE",
  "CONNECT",
  "PATCH",
];

/** The `User-Agent` gdnet sends unless the request has one (Godot sends `GodotEngine/<version> (<OS>)`). */
export const USER_AGENT = "gdnet";

// RFC 9110 token characters for the name; no CR, LF or NUL in the value.
const HEADER_LINE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+[ \t]*:[^\r\n\0]*$/;

/**
 * Whether `line` is a header line that can be sent: `Name: value` with a valid name.
 * (Godot only checks for a `:` after the first character.)
 * @internal
 */
export function isValidHeaderLine(line: unknown): line is string {
  return typeof line === "string" && HEADER_LINE.test(line);
}

/** The name of a header line, lower case. @internal */
export function headerName(line: string): string {
  const colon = line.indexOf(":");
  return (colon < 0 ? line : line.slice(0, colon)).trim().toLowerCase();
}

/** The value of the first header line named `name` (case-insensitive), trimmed; `null` if none. @internal */
export function headerValue(headers: readonly string[], name: string): string | null {
  const wanted = name.toLowerCase();
  for (const line of headers) {
    const colon = line.indexOf(":");
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted)
      return line.slice(colon + 1).trim();
  }
  return null;
}

/** Whether a header line named `name` (case-insensitive) is present. @internal */
export function hasHeader(headers: readonly string[], name: string): boolean {
  return headerValue(headers, name) !== null;
}

/**
 * The header lines of a request, as Godot's HTTPClient composes them: `Host`, the
 * custom lines in order, then `Content-Length` (only for a non-empty body),
 * `User-Agent` and `Accept: *\/*`, each automatic one only when the custom lines lack it.
 * @internal
 */
export function composeRequestHeaders(
  hostHeader: string,
  custom: readonly string[],
  bodyLength: number,
): string[] {
  const lines: string[] = [];
  if (!hasHeader(custom, "host")) lines.push(`Host: ${hostHeader}`);
  lines.push(...custom);
  if (bodyLength > 0 && !hasHeader(custom, "content-length")) lines.push(`Content-Length: ${bodyLength}`);
  if (!hasHeader(custom, "user-agent")) lines.push(`User-Agent: ${USER_AGENT}`);
  if (!hasHeader(custom, "accept")) lines.push("Accept: */*");
  return lines;
}

/** Custom request headers as `request()` takes them: `"Name: value"` lines, or a plain object of names to values. */
export type CustomHeaders = readonly string[] | Readonly<Record<string, string>>;

/**
 * `customHeaders` as header lines, in order (an object's own keys in insertion order),
 * or `null` when a line, name or value could not be sent.
 * @internal
 */
export function customHeaderLines(customHeaders: unknown): string[] | null {
  let lines: unknown[];
  if (Array.isArray(customHeaders)) {
    lines = customHeaders;
  } else if (isPlainObject(customHeaders)) {
    lines = [];
    for (const [name, value] of Object.entries(customHeaders)) {
      if (typeof value !== "string") return null;
      lines.push(`${name}: ${value}`);
    }
  } else {
    return null;
  }
  return lines.every(isValidHeaderLine) ? [...lines] : null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
