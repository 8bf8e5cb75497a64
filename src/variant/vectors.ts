import { formatInts, formatReals } from "./format.js";

/**
 * A 2D vector of reals. Ports Godot's `Vector2`.
 *
 * The components are JS numbers; encoding writes them as float32, as a standard Godot
 * build does (float64 with the `doublePrecision` encode option), so decode gives back the
 * float32-rounded value.
 */
export class Vector2 {
  /** @param x Godot `x`. @param y Godot `y`. */
  constructor(
    public x = 0,
    public y = 0,
  ) {}

  /** Component-wise `===` (Godot's `==`; `NaN` is never equal). */
  equals(other: unknown): boolean {
    return other instanceof Vector2 && other.x === this.x && other.y === this.y;
  }

  /** Godot's format: `(1.0, 2.0)`. */
  toString(): string {
    return formatReals(this.x, this.y);
  }
}

/**
 * A 2D vector of int32. Ports Godot 4's `Vector2i` (no Godot 3 equivalent). Encoding
 * writes each component as int32, wrapping values outside the int32 range.
 */
export class Vector2i {
  /** @param x Godot `x`. @param y Godot `y`. */
  constructor(
    public x = 0,
    public y = 0,
  ) {}

  /** Component-wise `===` (Godot's `==`). */
  equals(other: unknown): boolean {
    return other instanceof Vector2i && other.x === this.x && other.y === this.y;
  }

  /** Godot's format: `(1, 2)`. */
  toString(): string {
    return formatInts(this.x, this.y);
  }
}

/** A 3D vector of reals. Ports Godot's `Vector3`; precision as {@link Vector2}. */
export class Vector3 {
  /** @param x Godot `x`. @param y Godot `y`. @param z Godot `z`. */
  constructor(
    public x = 0,
    public y = 0,
    public z = 0,
  ) {}

  /** Component-wise `===` (Godot's `==`). */
  equals(other: unknown): boolean {
    return other instanceof Vector3 && other.x === this.x && other.y === this.y && other.z === this.z;
  }

  /** Godot's format: `(1.0, 2.0, 3.0)`. */
  toString(): string {
    return formatReals(this.x, this.y, this.z);
  }
}

/** A 3D vector of int32. Ports Godot 4's `Vector3i`; encoding as {@link Vector2i}. */
export class Vector3i {
  /** @param x Godot `x`. @param y Godot `y`. @param z Godot `z`. */
  constructor(
    public x = 0,
    public y = 0,
    public z = 0,
  ) {}

  /** Component-wise `===` (Godot's `==`). */
  equals(other: unknown): boolean {
    return other instanceof Vector3i && other.x === this.x && other.y === this.y && other.z === this.z;
  }

  /** Godot's format: `(1, 2, 3)`. */
  toString(): string {
    return formatInts(this.x, this.y, this.z);
  }
}

/** A 4D vector of reals. Ports Godot 4's `Vector4`; precision as {@link Vector2}. */
export class Vector4 {
  /** @param x Godot `x`. @param y Godot `y`. @param z Godot `z`. @param w Godot `w`. */
  constructor(
    public x = 0,
    public y = 0,
    public z = 0,
    public w = 0,
  ) {}

  /** Component-wise `===` (Godot's `==`). */
  equals(other: unknown): boolean {
    return (
      other instanceof Vector4 &&
      other.x === this.x &&
      other.y === this.y &&
      other.z === this.z &&
      other.w === this.w
    );
  }

  /** Godot's format: `(1.0, 2.0, 3.0, 4.0)`. */
  toString(): string {
    return formatReals(this.x, this.y, this.z, this.w);
  }
}

/** A 4D vector of int32. Ports Godot 4's `Vector4i`; encoding as {@link Vector2i}. */
export class Vector4i {
  /** @param x Godot `x`. @param y Godot `y`. @param z Godot `z`. @param w Godot `w`. */
  constructor(
    public x = 0,
    public y = 0,
    public z = 0,
    public w = 0,
  ) {}

  /** Component-wise `===` (Godot's `==`). */
  equals(other: unknown): boolean {
    return (
      other instanceof Vector4i &&
      other.x === this.x &&
      other.y === this.y &&
      other.z === this.z &&
      other.w === this.w
    );
  }

  /** Godot's format: `(1, 2, 3, 4)`. */
  toString(): string {
    return formatInts(this.x, this.y, this.z, this.w);
  }
}
