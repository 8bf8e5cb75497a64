/**
 * Godot's `Error` enum (`@GlobalScope`), with Godot's numbers.
 *
 * Methods that return `Error` in Godot return an `ErrorCode` here. Every member is also
 * exported as a top-level constant, so `if err != OK:` ports as `if (err !== OK)`.
 * Ports: `@GlobalScope.Error`.
 */
export enum ErrorCode {
  /** Godot `OK` (0). */
  OK = 0,
  /** Godot `FAILED` (1). */
  FAILED = 1,
  /** Godot `ERR_UNAVAILABLE` (2). */
  ERR_UNAVAILABLE = 2,
  /** Godot `ERR_UNCONFIGURED` (3). */
  ERR_UNCONFIGURED = 3,
  /** Godot `ERR_UNAUTHORIZED` (4). */
  ERR_UNAUTHORIZED = 4,
  /** Godot `ERR_PARAMETER_RANGE_ERROR` (5). */
  ERR_PARAMETER_RANGE_ERROR = 5,
  /** Godot `ERR_OUT_OF_MEMORY` (6). */
  ERR_OUT_OF_MEMORY = 6,
  /** Godot `ERR_FILE_NOT_FOUND` (7). */
  ERR_FILE_NOT_FOUND = 7,
  /** Godot `ERR_FILE_BAD_DRIVE` (8). */
  ERR_FILE_BAD_DRIVE = 8,
  /** Godot `ERR_FILE_BAD_PATH` (9). */
  ERR_FILE_BAD_PATH = 9,
  /** Godot `ERR_FILE_NO_PERMISSION` (10). */
  ERR_FILE_NO_PERMISSION = 10,
  /** Godot `ERR_FILE_ALREADY_IN_USE` (11). */
  ERR_FILE_ALREADY_IN_USE = 11,
  /** Godot `ERR_FILE_CANT_OPEN` (12). */
  ERR_FILE_CANT_OPEN = 12,
  /** Godot `ERR_FILE_CANT_WRITE` (13). */
  ERR_FILE_CANT_WRITE = 13,
  /** Godot `ERR_FILE_CANT_READ` (14). */
  ERR_FILE_CANT_READ = 14,
  /** Godot `ERR_FILE_UNRECOGNIZED` (15). */
  ERR_FILE_UNRECOGNIZED = 15,
  /** Godot `ERR_FILE_CORRUPT` (16). */
  ERR_FILE_CORRUPT = 16,
  /** Godot `ERR_FILE_MISSING_DEPENDENCIES` (17). */
  ERR_FILE_MISSING_DEPENDENCIES = 17,
  /** Godot `ERR_FILE_EOF` (18). */
  ERR_FILE_EOF = 18,
  /** Godot `ERR_CANT_OPEN` (19). */
  ERR_CANT_OPEN = 19,
  /** Godot `ERR_CANT_CREATE` (20). */
  ERR_CANT_CREATE = 20,
  /** Godot `ERR_QUERY_FAILED` (21). */
  ERR_QUERY_FAILED = 21,
  /** Godot `ERR_ALREADY_IN_USE` (22). */
  ERR_ALREADY_IN_USE = 22,
  /** Godot `ERR_LOCKED` (23). */
  ERR_LOCKED = 23,
  /** Godot `ERR_TIMEOUT` (24). */
  ERR_TIMEOUT = 24,
  /** Godot `ERR_CANT_CONNECT` (25). */
  ERR_CANT_CONNECT = 25,
  /** Godot `ERR_CANT_RESOLVE` (26). */
  ERR_CANT_RESOLVE = 26,
  /** Godot `ERR_CONNECTION_ERROR` (27). */
  ERR_CONNECTION_ERROR = 27,
  /** Godot `ERR_CANT_ACQUIRE_RESOURCE` (28). */
  ERR_CANT_ACQUIRE_RESOURCE = 28,
  /** Godot `ERR_CANT_FORK` (29). */
  ERR_CANT_FORK = 29,
  /** Godot `ERR_INVALID_DATA` (30). */
  ERR_INVALID_DATA = 30,
  /** Godot `ERR_INVALID_PARAMETER` (31). */
  ERR_INVALID_PARAMETER = 31,
  /** Godot `ERR_ALREADY_EXISTS` (32). */
  ERR_ALREADY_EXISTS = 32,
  /** Godot `ERR_DOES_NOT_EXIST` (33). */
  ERR_DOES_NOT_EXIST = 33,
  /** Godot `ERR_DATABASE_CANT_READ` (34). */
  ERR_DATABASE_CANT_READ = 34,
  /** Godot `ERR_DATABASE_CANT_WRITE` (35). */
  ERR_DATABASE_CANT_WRITE = 35,
  /** Godot `ERR_COMPILATION_FAILED` (36). */
  ERR_COMPILATION_FAILED = 36,
  /** Godot `ERR_METHOD_NOT_FOUND` (37). */
  ERR_METHOD_NOT_FOUND = 37,
  /** Godot `ERR_LINK_FAILED` (38). */
  ERR_LINK_FAILED = 38,
  /** Godot `ERR_SCRIPT_FAILED` (39). */
  ERR_SCRIPT_FAILED = 39,
  /** Godot `ERR_CYCLIC_LINK` (40). */
  ERR_CYCLIC_LINK = 40,
  /** Godot `ERR_INVALID_DECLARATION` (41). */
  ERR_INVALID_DECLARATION = 41,
  /** Godot `ERR_DUPLICATE_SYMBOL` (42). */
  ERR_DUPLICATE_SYMBOL = 42,
  /** Godot `ERR_PARSE_ERROR` (43). */
  ERR_PARSE_ERROR = 43,
  /** Godot `ERR_BUSY` (44). */
  ERR_BUSY = 44,
  /** Godot `ERR_SKIP` (45). */
  ERR_SKIP = 45,
  /** Godot `ERR_HELP` (46). */
  ERR_HELP = 46,
  /** Godot `ERR_BUG` (47). */
  ERR_BUG = 47,
  /** Godot `ERR_PRINTER_ON_FIRE` (48). */
  ERR_PRINTER_ON_FIRE = 48,
}

/** Godot `OK` (0); the same as `ErrorCode.OK`. */
export const OK = ErrorCode.OK;
/** Godot `FAILED` (1); the same as `ErrorCode.FAILED`. */
export const FAILED = ErrorCode.FAILED;
/** Godot `ERR_UNAVAILABLE` (2); the same as `ErrorCode.ERR_UNAVAILABLE`. */
export const ERR_UNAVAILABLE = ErrorCode.ERR_UNAVAILABLE;
/** Godot `ERR_UNCONFIGURED` (3); the same as `ErrorCode.ERR_UNCONFIGURED`. */
export const ERR_UNCONFIGURED = ErrorCode.ERR_UNCONFIGURED;
/** Godot `ERR_UNAUTHORIZED` (4); the same as `ErrorCode.ERR_UNAUTHORIZED`. */
export const ERR_UNAUTHORIZED = ErrorCode.ERR_UNAUTHORIZED;
/** Godot `ERR_PARAMETER_RANGE_ERROR` (5); the same as `ErrorCode.ERR_PARAMETER_RANGE_ERROR`. */
export const ERR_PARAMETER_RANGE_ERROR = ErrorCode.ERR_PARAMETER_RANGE_ERROR;
/** Godot `ERR_OUT_OF_MEMORY` (6); the same as `ErrorCode.ERR_OUT_OF_MEMORY`. */
export const ERR_OUT_OF_MEMORY = ErrorCode.ERR_OUT_OF_MEMORY;
/** Godot `ERR_FILE_NOT_FOUND` (7); the same as `ErrorCode.ERR_FILE_NOT_FOUND`. */
export const ERR_FILE_NOT_FOUND = ErrorCode.ERR_FILE_NOT_FOUND;
/** Godot `ERR_FILE_BAD_DRIVE` (8); the same as `ErrorCode.ERR_FILE_BAD_DRIVE`. */
export const ERR_FILE_BAD_DRIVE = ErrorCode.ERR_FILE_BAD_DRIVE;
/** Godot `ERR_FILE_BAD_PATH` (9); the same as `ErrorCode.ERR_FILE_BAD_PATH`. */
export const ERR_FILE_BAD_PATH = ErrorCode.ERR_FILE_BAD_PATH;
/** Godot `ERR_FILE_NO_PERMISSION` (10); the same as `ErrorCode.ERR_FILE_NO_PERMISSION`. */
export const ERR_FILE_NO_PERMISSION = ErrorCode.ERR_FILE_NO_PERMISSION;
/** Godot `ERR_FILE_ALREADY_IN_USE` (11); the same as `ErrorCode.ERR_FILE_ALREADY_IN_USE`. */
export const ERR_FILE_ALREADY_IN_USE = ErrorCode.ERR_FILE_ALREADY_IN_USE;
/** Godot `ERR_FILE_CANT_OPEN` (12); the same as `ErrorCode.ERR_FILE_CANT_OPEN`. */
export const ERR_FILE_CANT_OPEN = ErrorCode.ERR_FILE_CANT_OPEN;
/** Godot `ERR_FILE_CANT_WRITE` (13); the same as `ErrorCode.ERR_FILE_CANT_WRITE`. */
export const ERR_FILE_CANT_WRITE = ErrorCode.ERR_FILE_CANT_WRITE;
/** Godot `ERR_FILE_CANT_READ` (14); the same as `ErrorCode.ERR_FILE_CANT_READ`. */
export const ERR_FILE_CANT_READ = ErrorCode.ERR_FILE_CANT_READ;
/** Godot `ERR_FILE_UNRECOGNIZED` (15); the same as `ErrorCode.ERR_FILE_UNRECOGNIZED`. */
export const ERR_FILE_UNRECOGNIZED = ErrorCode.ERR_FILE_UNRECOGNIZED;
/** Godot `ERR_FILE_CORRUPT` (16); the same as `ErrorCode.ERR_FILE_CORRUPT`. */
export const ERR_FILE_CORRUPT = ErrorCode.ERR_FILE_CORRUPT;
/** Godot `ERR_FILE_MISSING_DEPENDENCIES` (17); the same as `ErrorCode.ERR_FILE_MISSING_DEPENDENCIES`. */
export const ERR_FILE_MISSING_DEPENDENCIES = ErrorCode.ERR_FILE_MISSING_DEPENDENCIES;
/** Godot `ERR_FILE_EOF` (18); the same as `ErrorCode.ERR_FILE_EOF`. */
export const ERR_FILE_EOF = ErrorCode.ERR_FILE_EOF;
/** Godot `ERR_CANT_OPEN` (19); the same as `ErrorCode.ERR_CANT_OPEN`. */
export const ERR_CANT_OPEN = ErrorCode.ERR_CANT_OPEN;
/** Godot `ERR_CANT_CREATE` (20); the same as `ErrorCode.ERR_CANT_CREATE`. */
export const ERR_CANT_CREATE = ErrorCode.ERR_CANT_CREATE;
/** Godot `ERR_QUERY_FAILED` (21); the same as `ErrorCode.ERR_QUERY_FAILED`. */
export const ERR_QUERY_FAILED = ErrorCode.ERR_QUERY_FAILED;
/** Godot `ERR_ALREADY_IN_USE` (22); the same as `ErrorCode.ERR_ALREADY_IN_USE`. */
export const ERR_ALREADY_IN_USE = ErrorCode.ERR_ALREADY_IN_USE;
/** Godot `ERR_LOCKED` (23); the same as `ErrorCode.ERR_LOCKED`. */
export const ERR_LOCKED = ErrorCode.ERR_LOCKED;
/** Godot `ERR_TIMEOUT` (24); the same as `ErrorCode.ERR_TIMEOUT`. */
export const ERR_TIMEOUT = ErrorCode.ERR_TIMEOUT;
/** Godot `ERR_CANT_CONNECT` (25); the same as `ErrorCode.ERR_CANT_CONNECT`. */
export const ERR_CANT_CONNECT = ErrorCode.ERR_CANT_CONNECT;
/** Godot `ERR_CANT_RESOLVE` (26); the same as `ErrorCode.ERR_CANT_RESOLVE`. */
export const ERR_CANT_RESOLVE = ErrorCode.ERR_CANT_RESOLVE;
/** Godot `ERR_CONNECTION_ERROR` (27); the same as `ErrorCode.ERR_CONNECTION_ERROR`. */
export const ERR_CONNECTION_ERROR = ErrorCode.ERR_CONNECTION_ERROR;
/** Godot `ERR_CANT_ACQUIRE_RESOURCE` (28); the same as `ErrorCode.ERR_CANT_ACQUIRE_RESOURCE`. */
export const ERR_CANT_ACQUIRE_RESOURCE = ErrorCode.ERR_CANT_ACQUIRE_RESOURCE;
/** Godot `ERR_CANT_FORK` (29); the same as `ErrorCode.ERR_CANT_FORK`. */
export const ERR_CANT_FORK = ErrorCode.ERR_CANT_FORK;
/** Godot `ERR_INVALID_DATA` (30); the same as `ErrorCode.ERR_INVALID_DATA`. */
export const ERR_INVALID_DATA = ErrorCode.ERR_INVALID_DATA;
/** Godot `ERR_INVALID_PARAMETER` (31); the same as `ErrorCode.ERR_INVALID_PARAMETER`. */
export const ERR_INVALID_PARAMETER = ErrorCode.ERR_INVALID_PARAMETER;
/** Godot `ERR_ALREADY_EXISTS` (32); the same as `ErrorCode.ERR_ALREADY_EXISTS`. */
export const ERR_ALREADY_EXISTS = ErrorCode.ERR_ALREADY_EXISTS;
/** Godot `ERR_DOES_NOT_EXIST` (33); the same as `ErrorCode.ERR_DOES_NOT_EXIST`. */
export const ERR_DOES_NOT_EXIST = ErrorCode.ERR_DOES_NOT_EXIST;
/** Godot `ERR_DATABASE_CANT_READ` (34); the same as `ErrorCode.ERR_DATABASE_CANT_READ`. */
export const ERR_DATABASE_CANT_READ = ErrorCode.ERR_DATABASE_CANT_READ;
/** Godot `ERR_DATABASE_CANT_WRITE` (35); the same as `ErrorCode.ERR_DATABASE_CANT_WRITE`. */
export const ERR_DATABASE_CANT_WRITE = ErrorCode.ERR_DATABASE_CANT_WRITE;
/** Godot `ERR_COMPILATION_FAILED` (36); the same as `ErrorCode.ERR_COMPILATION_FAILED`. */
export const ERR_COMPILATION_FAILED = ErrorCode.ERR_COMPILATION_FAILED;
/** Godot `ERR_METHOD_NOT_FOUND` (37); the same as `ErrorCode.ERR_METHOD_NOT_FOUND`. */
export const ERR_METHOD_NOT_FOUND = ErrorCode.ERR_METHOD_NOT_FOUND;
/** Godot `ERR_LINK_FAILED` (38); the same as `ErrorCode.ERR_LINK_FAILED`. */
export const ERR_LINK_FAILED = ErrorCode.ERR_LINK_FAILED;
/** Godot `ERR_SCRIPT_FAILED` (39); the same as `ErrorCode.ERR_SCRIPT_FAILED`. */
export const ERR_SCRIPT_FAILED = ErrorCode.ERR_SCRIPT_FAILED;
/** Godot `ERR_CYCLIC_LINK` (40); the same as `ErrorCode.ERR_CYCLIC_LINK`. */
export const ERR_CYCLIC_LINK = ErrorCode.ERR_CYCLIC_LINK;
/** Godot `ERR_INVALID_DECLARATION` (41); the same as `ErrorCode.ERR_INVALID_DECLARATION`. */
export const ERR_INVALID_DECLARATION = ErrorCode.ERR_INVALID_DECLARATION;
/** Godot `ERR_DUPLICATE_SYMBOL` (42); the same as `ErrorCode.ERR_DUPLICATE_SYMBOL`. */
export const ERR_DUPLICATE_SYMBOL = ErrorCode.ERR_DUPLICATE_SYMBOL;
/** Godot `ERR_PARSE_ERROR` (43); the same as `ErrorCode.ERR_PARSE_ERROR`. */
export const ERR_PARSE_ERROR = ErrorCode.ERR_PARSE_ERROR;
/** Godot `ERR_BUSY` (44); the same as `ErrorCode.ERR_BUSY`. */
export const ERR_BUSY = ErrorCode.ERR_BUSY;
/** Godot `ERR_SKIP` (45); the same as `ErrorCode.ERR_SKIP`. */
export const ERR_SKIP = ErrorCode.ERR_SKIP;
/** Godot `ERR_HELP` (46); the same as `ErrorCode.ERR_HELP`. */
export const ERR_HELP = ErrorCode.ERR_HELP;
/** Godot `ERR_BUG` (47); the same as `ErrorCode.ERR_BUG`. */
export const ERR_BUG = ErrorCode.ERR_BUG;
/** Godot `ERR_PRINTER_ON_FIRE` (48); the same as `ErrorCode.ERR_PRINTER_ON_FIRE`. */
export const ERR_PRINTER_ON_FIRE = ErrorCode.ERR_PRINTER_ON_FIRE;

/** The name of an error code as Godot prints it (`error_names`), for logs: `errorName(22)` is `"ERR_ALREADY_IN_USE"`. */
export function errorName(code: ErrorCode): string {
  return ErrorCode[code] ?? `ERR_UNKNOWN(${code})`;
}
