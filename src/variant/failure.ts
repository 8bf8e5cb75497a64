import { ErrorCode } from "../ErrorCode.js";

/**
 * Why an encode or decode stopped. Thrown inside the encoder and decoder only and caught
 * by `encodeVariant`/`decodeVariant`, which return its code; nothing outside this folder
 * sees it. It is not an `Error`, so throwing one costs no stack trace.
 */
export class VariantFailure {
  constructor(readonly code: ErrorCode) {}
}

/** Malformed or truncated bytes. */
export const INVALID_DATA = new VariantFailure(ErrorCode.ERR_INVALID_DATA);
/** A value gdnet cannot encode in the requested format. */
export const INVALID_PARAMETER = new VariantFailure(ErrorCode.ERR_INVALID_PARAMETER);
/** Nesting deeper than {@link MAX_RECURSION_DEPTH}. */
export const TOO_DEEP = new VariantFailure(ErrorCode.ERR_OUT_OF_MEMORY);
/** A full object while objects are not allowed. */
export const UNAUTHORIZED = new VariantFailure(ErrorCode.ERR_UNAUTHORIZED);

/**
 * Godot's `Variant::MAX_RECURSION_DEPTH`: a value may sit at most this many containers
 * deep (the top level is depth 0). Deeper data fails with `ERR_OUT_OF_MEMORY`, as in
 * Godot. Each level costs three small JS frames in the encoder and two in the decoder,
 * well under 1 MiB of stack at the limit, so Node's and browsers' default stacks hold it.
 */
export const MAX_RECURSION_DEPTH = 1024;
