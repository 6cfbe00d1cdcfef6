// Every call has a deadline, and every failure becomes an ApiError with a sentence to show.

const READ_TIMEOUT_MS = 15_000;
// Writes wait for a decider's decision, which the gateway bounds (5 s by default, more in tests).
const WRITE_TIMEOUT_MS = 40_000;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  form?: Record<string, string>;
  file?: File;
  token?: string;
  idempotencyKey?: string;
}

export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as Record<string, unknown>;
    const code = String(body.error ?? "http_" + response.status);
    const message = String(body.message ?? body.error_description ?? response.statusText);
    return new ApiError(response.status, code, message, body.field as string | undefined);
  } catch {
    return new ApiError(response.status, "http_" + response.status,
      `The server answered ${response.status} ${response.statusText}`.trim());
  }
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? (options.body || options.form || options.file ? "POST" : "GET");
  const headers: Record<string, string> = { Accept: "application/json" };
  let body: string | File | undefined;
  if (options.file) {
    headers["Content-Type"] = options.file.type;
    body = options.file;
  } else if (options.form) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(options.form).toString();
  } else if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
  const timeout = method === "GET" ? READ_TIMEOUT_MS : WRITE_TIMEOUT_MS;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, signal: AbortSignal.timeout(timeout) });
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError") {
      throw new ApiError(0, "timeout", `No answer from the server within ${timeout / 1000} s; try again.`);
    }
    throw new ApiError(0, "network", "The server cannot be reached; check your connection.");
  }
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export function describe(error: unknown): string {
  if (error instanceof ApiError) {
    return error.field ? `${error.message} (${error.field})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export interface Channel {
  name: string;
  display_name: string;
  title: string;
  category: string | null;
  live: boolean;
  live_since: string | null;
  viewers: number;
  followers: number;
  tags: string[];
  playlist_url: string | null;
  thumbnail_url: string | null;
  profile_image_url?: string | null;
  suspended: boolean;
  raids_from: string;
}

const THUMBNAIL_EVERY_MS = 15_000;

// A live channel's still at the size asked for; the query changes as often as a new still is
// cut, so a page that renders again shows the newer one.
export function thumbnail(channel: { live?: boolean; thumbnail_url: string | null },
  width: number, height: number): string | null {
  if (channel.live === false || !channel.thumbnail_url) return null;
  const url = channel.thumbnail_url.replace("{width}", String(width)).replace("{height}", String(height));
  return `${url}?t=${Math.floor(Date.now() / THUMBNAIL_EVERY_MS)}`;
}

export interface Page<T> {
  data: T[];
  pagination?: { cursor: string | null };
}

export function formatMoney(minor: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(minor / 100);
}
