/**
 * The constants of Godot's `HTTPClient`: request methods, client statuses and HTTP
 * response codes, with Godot's numbers.
 *
 * Ports the `Method`, `Status` and `ResponseCode` enums of Godot 4's `HTTPClient`.
 * Deviation: only the constants are ported. The low-level client itself (connect,
 * request, read body chunks) is not; {@link HTTPRequest} covers what it is used for.
 * The constants are what `HTTPRequest.request(url, headers, HTTPClient.METHOD_POST)`
 * and `HTTPRequest.getHttpClientStatus()` speak.
 */
export class HTTPClient {
  private constructor() {}

  /** GET. Ports `HTTPClient.METHOD_GET` (0). */
  static readonly METHOD_GET = 0;
  /** HEAD: the response has no body. Ports `HTTPClient.METHOD_HEAD` (1). */
  static readonly METHOD_HEAD = 1;
  /** POST. Ports `HTTPClient.METHOD_POST` (2). */
  static readonly METHOD_POST = 2;
  /** PUT. Ports `HTTPClient.METHOD_PUT` (3). */
  static readonly METHOD_PUT = 3;
  /** DELETE. Ports `HTTPClient.METHOD_DELETE` (4). */
  static readonly METHOD_DELETE = 4;
  /** OPTIONS. Ports `HTTPClient.METHOD_OPTIONS` (5). */
  static readonly METHOD_OPTIONS = 5;
  /** TRACE. Ports `HTTPClient.METHOD_TRACE` (6). */
  static readonly METHOD_TRACE = 6;
  /** CONNECT. Ports `HTTPClient.METHOD_CONNECT` (7). `HTTPRequest` refuses it. */
  static readonly METHOD_CONNECT = 7;
  /** PATCH. Ports `HTTPClient.METHOD_PATCH` (8). */
  static readonly METHOD_PATCH = 8;
  /** The number of methods. Ports `HTTPClient.METHOD_MAX` (9). */
  static readonly METHOD_MAX = 9;

  /** No connection. Ports `HTTPClient.STATUS_DISCONNECTED` (0). */
  static readonly STATUS_DISCONNECTED = 0;
  /** Resolving the host name. Ports `HTTPClient.STATUS_RESOLVING` (1). */
  static readonly STATUS_RESOLVING = 1;
  /** The host name did not resolve. Ports `HTTPClient.STATUS_CANT_RESOLVE` (2). */
  static readonly STATUS_CANT_RESOLVE = 2;
  /** Connecting (TCP, then TLS for https). Ports `HTTPClient.STATUS_CONNECTING` (3). */
  static readonly STATUS_CONNECTING = 3;
  /** The connection could not be made. Ports `HTTPClient.STATUS_CANT_CONNECT` (4). */
  static readonly STATUS_CANT_CONNECT = 4;
  /** Connected, no request in progress. Ports `HTTPClient.STATUS_CONNECTED` (5). */
  static readonly STATUS_CONNECTED = 5;
  /** The request is sent; waiting for the response headers. Ports `HTTPClient.STATUS_REQUESTING` (6). */
  static readonly STATUS_REQUESTING = 6;
  /** The headers arrived; the body is being read. Ports `HTTPClient.STATUS_BODY` (7). */
  static readonly STATUS_BODY = 7;
  /** The connection broke. Ports `HTTPClient.STATUS_CONNECTION_ERROR` (8). */
  static readonly STATUS_CONNECTION_ERROR = 8;
  /** The TLS handshake failed. Ports `HTTPClient.STATUS_TLS_HANDSHAKE_ERROR` (9). */
  static readonly STATUS_TLS_HANDSHAKE_ERROR = 9;

  /** 100 Continue. Ports `HTTPClient.RESPONSE_CONTINUE`. */
  static readonly RESPONSE_CONTINUE = 100;
  /** 101 Switching Protocols. Ports `HTTPClient.RESPONSE_SWITCHING_PROTOCOLS`. */
  static readonly RESPONSE_SWITCHING_PROTOCOLS = 101;
  /** 102 Processing. Ports `HTTPClient.RESPONSE_PROCESSING`. */
  static readonly RESPONSE_PROCESSING = 102;
  /** 200 OK. Ports `HTTPClient.RESPONSE_OK`. */
  static readonly RESPONSE_OK = 200;
  /** 201 Created. Ports `HTTPClient.RESPONSE_CREATED`. */
  static readonly RESPONSE_CREATED = 201;
  /** 202 Accepted. Ports `HTTPClient.RESPONSE_ACCEPTED`. */
  static readonly RESPONSE_ACCEPTED = 202;
  /** 203 Non-Authoritative Information. Ports `HTTPClient.RESPONSE_NON_AUTHORITATIVE_INFORMATION`. */
  static readonly RESPONSE_NON_AUTHORITATIVE_INFORMATION = 203;
  /** 204 No Content. Ports `HTTPClient.RESPONSE_NO_CONTENT`. */
  static readonly RESPONSE_NO_CONTENT = 204;
  /** 205 Reset Content. Ports `HTTPClient.RESPONSE_RESET_CONTENT`. */
  static readonly RESPONSE_RESET_CONTENT = 205;
  /** 206 Partial Content. Ports `HTTPClient.RESPONSE_PARTIAL_CONTENT`. */
  static readonly RESPONSE_PARTIAL_CONTENT = 206;
  /** 207 Multi-Status. Ports `HTTPClient.RESPONSE_MULTI_STATUS`. */
  static readonly RESPONSE_MULTI_STATUS = 207;
  /** 208 Already Reported. Ports `HTTPClient.RESPONSE_ALREADY_REPORTED`. */
  static readonly RESPONSE_ALREADY_REPORTED = 208;
  /** 226 IM Used. Ports `HTTPClient.RESPONSE_IM_USED`. */
  static readonly RESPONSE_IM_USED = 226;
  /** 300 Multiple Choices. Ports `HTTPClient.RESPONSE_MULTIPLE_CHOICES`. */
  static readonly RESPONSE_MULTIPLE_CHOICES = 300;
  /** 301 Moved Permanently. Ports `HTTPClient.RESPONSE_MOVED_PERMANENTLY`. */
  static readonly RESPONSE_MOVED_PERMANENTLY = 301;
  /** 302 Found. Ports `HTTPClient.RESPONSE_FOUND`. */
  static readonly RESPONSE_FOUND = 302;
  /** 303 See Other. Ports `HTTPClient.RESPONSE_SEE_OTHER`. */
  static readonly RESPONSE_SEE_OTHER = 303;
  /** 304 Not Modified. Ports `HTTPClient.RESPONSE_NOT_MODIFIED`. */
  static readonly RESPONSE_NOT_MODIFIED = 304;
  /** 305 Use Proxy. Ports `HTTPClient.RESPONSE_USE_PROXY`. */
  static readonly RESPONSE_USE_PROXY = 305;
  /** 306 Switch Proxy. Ports `HTTPClient.RESPONSE_SWITCH_PROXY`. */
  static readonly RESPONSE_SWITCH_PROXY = 306;
  /** 307 Temporary Redirect. Ports `HTTPClient.RESPONSE_TEMPORARY_REDIRECT`. */
  static readonly RESPONSE_TEMPORARY_REDIRECT = 307;
  /** 308 Permanent Redirect. Ports `HTTPClient.RESPONSE_PERMANENT_REDIRECT`. */
  static readonly RESPONSE_PERMANENT_REDIRECT = 308;
  /** 400 Bad Request. Ports `HTTPClient.RESPONSE_BAD_REQUEST`. */
  static readonly RESPONSE_BAD_REQUEST = 400;
  /** 401 Unauthorized. Ports `HTTPClient.RESPONSE_UNAUTHORIZED`. */
  static readonly RESPONSE_UNAUTHORIZED = 401;
  /** 402 Payment Required. Ports `HTTPClient.RESPONSE_PAYMENT_REQUIRED`. */
  static readonly RESPONSE_PAYMENT_REQUIRED = 402;
  /** 403 Forbidden. Ports `HTTPClient.RESPONSE_FORBIDDEN`. */
  static readonly RESPONSE_FORBIDDEN = 403;
  /** 404 Not Found. Ports `HTTPClient.RESPONSE_NOT_FOUND`. */
  static readonly RESPONSE_NOT_FOUND = 404;
  /** 405 Method Not Allowed. Ports `HTTPClient.RESPONSE_METHOD_NOT_ALLOWED`. */
  static readonly RESPONSE_METHOD_NOT_ALLOWED = 405;
  /** 406 Not Acceptable. Ports `HTTPClient.RESPONSE_NOT_ACCEPTABLE`. */
  static readonly RESPONSE_NOT_ACCEPTABLE = 406;
  /** 407 Proxy Authentication Required. Ports `HTTPClient.RESPONSE_PROXY_AUTHENTICATION_REQUIRED`. */
  static readonly RESPONSE_PROXY_AUTHENTICATION_REQUIRED = 407;
  /** 408 Request Timeout. Ports `HTTPClient.RESPONSE_REQUEST_TIMEOUT`. */
  static readonly RESPONSE_REQUEST_TIMEOUT = 408;
  /** 409 Conflict. Ports `HTTPClient.RESPONSE_CONFLICT`. */
  static readonly RESPONSE_CONFLICT = 409;
  /** 410 Gone. Ports `HTTPClient.RESPONSE_GONE`. */
  static readonly RESPONSE_GONE = 410;
  /** 411 Length Required. Ports `HTTPClient.RESPONSE_LENGTH_REQUIRED`. */
  static readonly RESPONSE_LENGTH_REQUIRED = 411;
  /** 412 Precondition Failed. Ports `HTTPClient.RESPONSE_PRECONDITION_FAILED`. */
  static readonly RESPONSE_PRECONDITION_FAILED = 412;
  /** 413 Payload Too Large. Ports `HTTPClient.RESPONSE_REQUEST_ENTITY_TOO_LARGE`. */
  static readonly RESPONSE_REQUEST_ENTITY_TOO_LARGE = 413;
  /** 414 URI Too Long. Ports `HTTPClient.RESPONSE_REQUEST_URI_TOO_LONG`. */
  static readonly RESPONSE_REQUEST_URI_TOO_LONG = 414;
  /** 415 Unsupported Media Type. Ports `HTTPClient.RESPONSE_UNSUPPORTED_MEDIA_TYPE`. */
  static readonly RESPONSE_UNSUPPORTED_MEDIA_TYPE = 415;
  /** 416 Range Not Satisfiable. Ports `HTTPClient.RESPONSE_REQUESTED_RANGE_NOT_SATISFIABLE`. */
  static readonly RESPONSE_REQUESTED_RANGE_NOT_SATISFIABLE = 416;
  /** 417 Expectation Failed. Ports `HTTPClient.RESPONSE_EXPECTATION_FAILED`. */
  static readonly RESPONSE_EXPECTATION_FAILED = 417;
  /** 418 I'm a teapot. Ports `HTTPClient.RESPONSE_IM_A_TEAPOT`. */
  static readonly RESPONSE_IM_A_TEAPOT = 418;
  /** 421 Misdirected Request. Ports `HTTPClient.RESPONSE_MISDIRECTED_REQUEST`. */
  static readonly RESPONSE_MISDIRECTED_REQUEST = 421;
  /** 422 Unprocessable Entity. Ports `HTTPClient.RESPONSE_UNPROCESSABLE_ENTITY`. */
  static readonly RESPONSE_UNPROCESSABLE_ENTITY = 422;
  /** 423 Locked. Ports `HTTPClient.RESPONSE_LOCKED`. */
  static readonly RESPONSE_LOCKED = 423;
  /** 424 Failed Dependency. Ports `HTTPClient.RESPONSE_FAILED_DEPENDENCY`. */
  static readonly RESPONSE_FAILED_DEPENDENCY = 424;
  /** 426 Upgrade Required. Ports `HTTPClient.RESPONSE_UPGRADE_REQUIRED`. */
  static readonly RESPONSE_UPGRADE_REQUIRED = 426;
  /** 428 Precondition Required. Ports `HTTPClient.RESPONSE_PRECONDITION_REQUIRED`. */
  static readonly RESPONSE_PRECONDITION_REQUIRED = 428;
  /** 429 Too Many Requests. Ports `HTTPClient.RESPONSE_TOO_MANY_REQUESTS`. */
  static readonly RESPONSE_TOO_MANY_REQUESTS = 429;
  /** 431 Request Header Fields Too Large. Ports `HTTPClient.RESPONSE_REQUEST_HEADER_FIELDS_TOO_LARGE`. */
  static readonly RESPONSE_REQUEST_HEADER_FIELDS_TOO_LARGE = 431;
  /** 451 Unavailable For Legal Reasons. Ports `HTTPClient.RESPONSE_UNAVAILABLE_FOR_LEGAL_REASONS`. */
  static readonly RESPONSE_UNAVAILABLE_FOR_LEGAL_REASONS = 451;
  /** 500 Internal Server Error. Ports `HTTPClient.RESPONSE_INTERNAL_SERVER_ERROR`. */
  static readonly RESPONSE_INTERNAL_SERVER_ERROR = 500;
  /** 501 Not Implemented. Ports `HTTPClient.RESPONSE_NOT_IMPLEMENTED`. */
  static readonly RESPONSE_NOT_IMPLEMENTED = 501;
  /** 502 Bad Gateway. Ports `HTTPClient.RESPONSE_BAD_GATEWAY`. */
  static readonly RESPONSE_BAD_GATEWAY = 502;
  /** 503 Service Unavailable. Ports `HTTPClient.RESPONSE_SERVICE_UNAVAILABLE`. */
  static readonly RESPONSE_SERVICE_UNAVAILABLE = 503;
  /** 504 Gateway Timeout. Ports `HTTPClient.RESPONSE_GATEWAY_TIMEOUT`. */
  static readonly RESPONSE_GATEWAY_TIMEOUT = 504;
  /** 505 HTTP Version Not Supported. Ports `HTTPClient.RESPONSE_HTTP_VERSION_NOT_SUPPORTED`. */
  static readonly RESPONSE_HTTP_VERSION_NOT_SUPPORTED = 505;
  /** 506 Variant Also Negotiates. Ports `HTTPClient.RESPONSE_VARIANT_ALSO_NEGOTIATES`. */
  static readonly RESPONSE_VARIANT_ALSO_NEGOTIATES = 506;
  /** 507 Insufficient Storage. Ports `HTTPClient.RESPONSE_INSUFFICIENT_STORAGE`. */
  static readonly RESPONSE_INSUFFICIENT_STORAGE = 507;
  /** 508 Loop Detected. Ports `HTTPClient.RESPONSE_LOOP_DETECTED`. */
  static readonly RESPONSE_LOOP_DETECTED = 508;
  /** 510 Not Extended. Ports `HTTPClient.RESPONSE_NOT_EXTENDED`. */
  static readonly RESPONSE_NOT_EXTENDED = 510;
  /** 511 Network Authentication Required. Ports `HTTPClient.RESPONSE_NETWORK_AUTH_REQUIRED`. */
  static readonly RESPONSE_NETWORK_AUTH_REQUIRED = 511;
}
