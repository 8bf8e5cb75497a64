import { Color } from "./math.js";
import { Vector2, Vector3, Vector4 } from "./vectors.js";

/**
 * Shared shape of the packed arrays of vectors and colors: the components are stored
 * interleaved in one JS typed array (`data`), which is what travels on the wire, so
 * encoding and decoding copy one block instead of building an object per element.
 */
abstract class PackedRealArray<T> {
  /** The components, interleaved (`x0, y0, x1, y1, …`). Its length is a multiple of the stride. */
  data: Float32Array | Float64Array;

  protected constructor(
    data: Float32Array | Float64Array,
    private readonly stride: number,
  ) {
    if (data.length % stride !== 0) {
      throw new RangeError(`data length ${data.length} is not a multiple of ${stride}`);
    }
    this.data = data;
  }

  protected abstract make(offset: number): T;
  protected abstract store(offset: number, value: T): void;

  /** The number of elements (Godot `size()`). */
  get length(): number {
    return this.data.length / this.stride;
  }

  /** The element at `index` as a new value object, or `undefined` when out of range. */
  get(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    return this.make(index * this.stride);
  }

  /** Writes the element at `index` (Godot `set(index, value)`); out of range is ignored. */
  set(index: number, value: T): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return;
    this.store(index * this.stride, value);
  }

  /** The elements as an array of value objects. */
  toArray(): T[] {
    const out: T[] = [];
    for (let offset = 0; offset < this.data.length; offset += this.stride) out.push(this.make(offset));
    return out;
  }

  /** Iterates the elements as value objects. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let offset = 0; offset < this.data.length; offset += this.stride) yield this.make(offset);
  }

  /** Same length and components (`===`, so `NaN` is never equal). */
  equals(other: unknown): boolean {
    if (!(other instanceof PackedRealArray) || other.constructor !== this.constructor) return false;
    const theirs = other.data;
    if (theirs.length !== this.data.length) return false;
    for (let i = 0; i < theirs.length; i++) if (theirs[i] !== this.data[i]) return false;
    return true;
  }

  /** Godot's format: `[(1.0, 2.0), (3.0, 4.0)]`. */
  toString(): string {
    return `[${this.toArray().join(", ")}]`;
  }
}

function fill<T>(
  items: Iterable<T>,
  stride: number,
  write: (data: Float32Array, offset: number, item: T) => void,
) {
  const list = Array.isArray(items) ? (items as T[]) : [...items];
  const data = new Float32Array(list.length * stride);
  list.forEach((item, index) => {
    write(data, index * stride, item);
  });
  return data;
}

/**
 * Godot's `PackedVector2Array` (`PoolVector2Array` in Godot 3), stored as interleaved
 * `x, y` components. `data` is a `Float32Array`, or a `Float64Array` when decoded from a
 * double-precision Godot build; encoding follows the `doublePrecision` option either way.
 */
export class PackedVector2Array extends PackedRealArray<Vector2> {
  /** @param data interleaved `x, y` components (length a multiple of 2). */
  constructor(data: Float32Array | Float64Array = new Float32Array(0)) {
    super(data, 2);
  }

  /** Builds one from vectors (float32 storage). */
  static from(items: Iterable<Vector2>): PackedVector2Array {
    return new PackedVector2Array(
      fill(items, 2, (data, offset, v) => {
        data[offset] = v.x;
        data[offset + 1] = v.y;
      }),
    );
  }

  protected make(offset: number): Vector2 {
    return new Vector2(this.data[offset], this.data[offset + 1]);
  }

  protected store(offset: number, value: Vector2): void {
    this.data[offset] = value.x;
    this.data[offset + 1] = value.y;
  }
}

/** Godot's `PackedVector3Array` (`PoolVector3Array` in Godot 3), as {@link PackedVector2Array} with `x, y, z`. */
export class PackedVector3Array extends PackedRealArray<Vector3> {
  /** @param data interleaved `x, y, z` components (length a multiple of 3). */
  constructor(data: Float32Array | Float64Array = new Float32Array(0)) {
    super(data, 3);
  }

  /** Builds one from vectors (float32 storage). */
  static from(items: Iterable<Vector3>): PackedVector3Array {
    return new PackedVector3Array(
      fill(items, 3, (data, offset, v) => {
        data[offset] = v.x;
        data[offset + 1] = v.y;
        data[offset + 2] = v.z;
      }),
    );
  }

  protected make(offset: number): Vector3 {
    return new Vector3(this.data[offset], this.data[offset + 1], this.data[offset + 2]);
  }

  protected store(offset: number, value: Vector3): void {
    this.data[offset] = value.x;
    this.data[offset + 1] = value.y;
    this.data[offset + 2] = value.z;
  }
}

/** Godot 4.3+'s `PackedVector4Array`, as {@link PackedVector2Array} with `x, y, z, w`. Godot 4 only. */
export class PackedVector4Array extends PackedRealArray<Vector4> {
  /** @param data interleaved `x, y, z, w` components (length a multiple of 4). */
  constructor(data: Float32Array | Float64Array = new Float32Array(0)) {
    super(data, 4);
  }

  /** Builds one from vectors (float32 storage). */
  static from(items: Iterable<Vector4>): PackedVector4Array {
    return new PackedVector4Array(
      fill(items, 4, (data, offset, v) => {
        data[offset] = v.x;
        data[offset + 1] = v.y;
        data[offset + 2] = v.z;
        data[offset + 3] = v.w;
      }),
    );
  }

  protected make(offset: number): Vector4 {
    const d = this.data;
    return new Vector4(d[offset], d[offset + 1], d[offset + 2], d[offset + 3]);
  }

  protected store(offset: number, value: Vector4): void {
    this.data[offset] = value.x;
    this.data[offset + 1] = value.y;
    this.data[offset + 2] = value.z;
    this.data[offset + 3] = value.w;
  }
}

/**
 * Godot's `PackedColorArray` (`PoolColorArray` in Godot 3), stored as interleaved
 * `r, g, b, a` float32 components. Colors always travel as float32.
 */
export class PackedColorArray extends PackedRealArray<Color> {
  /** @param data interleaved `r, g, b, a` components (length a multiple of 4). */
  constructor(data: Float32Array | Float64Array = new Float32Array(0)) {
    super(data, 4);
  }

  /** Builds one from colors. */
  static from(items: Iterable<Color>): PackedColorArray {
    return new PackedColorArray(
      fill(items, 4, (data, offset, c) => {
        data[offset] = c.r;
        data[offset + 1] = c.g;
        data[offset + 2] = c.b;
        data[offset + 3] = c.a;
      }),
    );
  }

  protected make(offset: number): Color {
    const d = this.data;
    return new Color(d[offset], d[offset + 1], d[offset + 2], d[offset + 3]);
  }

  protected store(offset: number, value: Color): void {
    this.data[offset] = value.r;
    this.data[offset + 1] = value.g;
    this.data[offset + 2] = value.b;
    this.data[offset + 3] = value.a;
  }
}
