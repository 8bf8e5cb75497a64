import { INVALID_PARAMETER } from "./failure.js";
import { godot3TypeId, HEADER_DATA_FLAG_64, VariantType as T } from "./VariantType.js";
import type { ByteWriter } from "./writer.js";

/** Everything one `encodeVariant` call needs, passed down the recursion. */
export interface EncodeState {
  w: ByteWriter;
  format: 3 | 4;
  fullObjects: boolean;
  /** Real-based math types use float64 with the 64-bit header flag (Godot 4 only). */
  wideReals: boolean;
}

/** No declared slot type: the value's own type decides. */
export const NO_SLOT = -1;

/** An encoder of one value class, registered by the class's constructor. */
export type Encoder<V = never> = (s: EncodeState, value: V, depth: number) => void;

/** A value class and its encoder, for the encoder table. */
export type EncoderEntry = readonly [abstract new (...args: never[]) => unknown, Encoder];

/** Pairs a value class with its encoder, checking that they agree. */
export function encoderOf<V>(type: abstract new (...args: never[]) => V, encoder: Encoder<V>): EncoderEntry {
  return [type, encoder as Encoder];
}

/** Writes a header word, translating the type id for Godot 3 (where some types do not exist). */
export function header(s: EncodeState, type: T, flags = 0): void {
  let id: number = type;
  if (s.format === 3) {
    id = godot3TypeId(type);
    if (id < 0) throw INVALID_PARAMETER;
  }
  s.w.u32(id | flags);
}

/** Header of a real-based math type, with the 64-bit flag when reals are wide. */
export function realHeader(s: EncodeState, type: T): void {
  header(s, type, s.wideReals ? HEADER_DATA_FLAG_64 : 0);
}

export function real(s: EncodeState, value: number): void {
  if (s.wideReals) s.w.f64(value);
  else s.w.f32(value);
}

export function string(s: EncodeState, text: string): void {
  s.w.utf8(text);
  s.w.pad4();
}

/** Godot's rule: float32 when `(double)(float)v == v`, else float64 (so NaN is float64, as in Godot). */
export function encodeFloat(s: EncodeState, value: number): void {
  if (Math.fround(value) === value) {
    header(s, T.TYPE_FLOAT);
    s.w.f32(value);
  } else {
    header(s, T.TYPE_FLOAT, HEADER_DATA_FLAG_64);
    s.w.f64(value);
  }
}
